"""The portal's domain: plain Python with no Flask import, tested directly."""
