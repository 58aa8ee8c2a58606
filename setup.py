"""Package discovery that pyproject.toml cannot express: the top-level assets/ folder (styles, demo answers,
pipeline, function and workflow code) ships inside the wheel as the `wizard.assets` package, so an installed
wizard finds its runtime files with importlib.resources while the tree keeps them visible at the top."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["wizard*", "screens*"]), "wizard.assets"],
    package_dir={"wizard.assets": "assets"},
)
