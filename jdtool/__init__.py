"""jdtool: job descriptions, person specifications and recruitment scoring for UK schools.

The package imports nothing: the web app is built by `jdtool.app.create_app`, so the pure
modules (importing, matching, scoring, pay, export) load without Flask.
"""
