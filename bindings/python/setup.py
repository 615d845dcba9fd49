# Builds the extension against the installed libgatewayapi (pkg-config), or the one that
# GWAPI_INCLUDE_DIRS / GWAPI_LIBRARY_DIRS point to.
from setuptools import setup

setup(
    name="gatewayapi",
    version="1.0.0",
    description="The Kubernetes Gateway API: load, validate, resolve and route (libgatewayapi)",
    license="MIT",
    packages=["gatewayapi"],
    package_data={"gatewayapi": ["py.typed"]},
    python_requires=">=3.7",
    setup_requires=["cffi>=1.15"],
    install_requires=["cffi>=1.15"],
    cffi_modules=["gatewayapi/_build.py:ffibuilder"],
    zip_safe=False,
)
