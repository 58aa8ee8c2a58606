"""The DSVM's decisions against the emulator's catalogue: newest image, usable size, quota, with alternatives."""

from __future__ import annotations

import pytest

from wizard.answers import VmOs
from wizard.azure.errors import StepError
from wizard.dsvm import images, sizes
from wizard.emulator.providers.compute_catalogue import restrict_size, set_quota


def test_newest_dsvm_image_per_os_and_generation(compute):
    linux = images.find_dsvm_image(compute, "eastus", VmOs.LINUX)
    assert (linux.publisher, linux.offer, linux.sku) == ("microsoft-dsvm", "ubuntu-2204", "2204-gen2")
    assert linux.version == "25.05.20"
    assert images.find_dsvm_image(compute, "eastus", VmOs.LINUX, gen2=False).sku == "2204"
    windows = images.find_dsvm_image(compute, "westeurope", VmOs.WINDOWS)
    assert (windows.offer, windows.sku, windows.version) == ("dsvm-win-2022", "winserver-2022", "25.03.05")


def test_a_region_without_dsvm_images_says_so(compute):
    with pytest.raises(StepError) as raised:
        images.find_dsvm_image(compute, "brazilsouth", VmOs.WINDOWS)
    assert raised.value.info.code == "DsvmImageNotFound"
    assert "brazilsouth" in raised.value.info.message and "Windows" in raised.value.info.message
    assert raised.value.info.todo and raised.value.info.link


def test_an_available_size_passes_with_its_facts(compute):
    size = sizes.check_size(compute, "eastus", "standard_d4s_v5")
    assert (size.name, size.vcpus, size.memory_gb, size.gen2) == ("Standard_D4s_v5", 4, 16.0, True)


def test_a_restricted_size_names_alternatives(compute, emulator):
    restrict_size(emulator.store, "eastus", "Standard_D4s_v5")
    with pytest.raises(StepError) as raised:
        sizes.check_size(compute, "eastus", "Standard_D4s_v5")
    info = raised.value.info
    assert info.code == "SkuNotAvailable"
    assert "NotAvailableForSubscription" in info.message
    assert "Standard_D4as_v5 (4 vCPUs, 16 GB)" in info.message
    assert "Standard_D4s_v5 (" not in info.message
    assert "NC" not in info.message, "GPU sizes are not offered as alternatives"
    assert "aka.ms/azureskunotavailable" in info.link


def test_a_size_restricted_in_some_zones_is_still_usable_regionally(compute, emulator):
    restrict_size(emulator.store, "eastus", "Standard_D4s_v5", zones=["1", "2"])
    assert sizes.check_size(compute, "eastus", "Standard_D4s_v5").name == "Standard_D4s_v5"
    restrict_size(emulator.store, "eastus", "Standard_D4s_v5", zones=["1", "2", "3"])
    with pytest.raises(StepError, match="every zone"):
        sizes.check_size(compute, "eastus", "Standard_D4s_v5")


def test_an_unknown_size_is_not_offered(compute):
    with pytest.raises(StepError, match="Standard_X9 is not offered in eastus"):
        sizes.check_size(compute, "eastus", "Standard_X9")


def test_exhausted_family_quota_names_sizes_that_fit(compute, emulator):
    set_quota(emulator.store, "eastus", "standardDSv5Family", 2)
    with pytest.raises(StepError) as raised:
        sizes.check_size(compute, "eastus", "Standard_D4s_v5")
    info = raised.value.info
    assert info.code == "QuotaExceeded"
    assert "needs 4 vCPUs but the standardDSv5Family family has 2 of 2 free" in info.message
    assert "Standard_D4as_v5" in info.message and "Standard_D8s_v5" not in info.message


def test_exhausted_regional_quota_leaves_only_small_sizes(compute, emulator):
    set_quota(emulator.store, "eastus", "cores", 2)
    with pytest.raises(StepError) as raised:
        sizes.check_size(compute, "eastus", "Standard_D4s_v5")
    assert "all sizes together has 2 of 2 free" in raised.value.info.message
    assert "Standard_D2s_v5 (2 vCPUs, 8 GB)" in raised.value.info.message
    assert "4 vCPUs," not in raised.value.info.message.split("Sizes you can use here:")[1]
