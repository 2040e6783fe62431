#!/usr/bin/env python
from mac.cli import main

if __name__ == "__main__":
    main()
