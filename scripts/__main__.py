import sys

from scripts.commands import main

sys.exit(main())
