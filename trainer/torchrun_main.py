# The __main__.py of the zip appended to the heardmap-train binary (cmake/PythonLauncher.cmake):
# `torchrun --nproc_per_node N heardmap-train ...` without --no_python starts
# `python -u heardmap-train ...`; Python runs the zip at the end of the file, and this replaces
# the Python process with the file itself, run as the program it is (same pid, same arguments).
import os
import sys

os.execv(sys.argv[0], sys.argv)
