"""Package discovery that pyproject.toml cannot express: the top-level assets/ folder (styles, demo answers,
pipeline and function code, prices) ships inside the wheel as the `wizard.assets` package, so an installed
wizard finds its runtime files with importlib.resources while the tree keeps them visible at the top."""

from setuptools import find_namespace_packages, find_packages, setup

# Its folders are packages too (setuptools warns of, and will stop shipping, data in folders it is not told of);
# the screenshots stay out of the wheel (exclude-package-data in pyproject.toml).
ASSET_FOLDERS = find_namespace_packages(where="assets", exclude=["screenshots", "*__pycache__*"])

setup(
    packages=[*find_packages(include=["wizard*", "screens*"]), "wizard.assets"]
    + [f"wizard.assets.{folder}" for folder in ASSET_FOLDERS],
    package_dir={"wizard.assets": "assets"},
)
