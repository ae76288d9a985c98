# cmake -DBINARY=FILE -DMAIN=__main__.py -P PythonLauncher.cmake: appends a zip holding MAIN as
# __main__.py to BINARY. An ELF program ignores bytes after its sections, and Python runs a zip
# that has other data in front of it, so `python BINARY args` (what torchrun runs without
# --no_python) executes MAIN, which execs BINARY itself.
get_filename_component(folder "${BINARY}" DIRECTORY)
set(stage "${folder}/python-launcher")
file(MAKE_DIRECTORY "${stage}")
configure_file("${MAIN}" "${stage}/__main__.py" COPYONLY)
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf launcher.zip --format=zip __main__.py
                WORKING_DIRECTORY "${stage}" RESULT_VARIABLE zipped)
if(NOT zipped EQUAL 0)
  message(FATAL_ERROR "PythonLauncher: could not zip ${MAIN}")
endif()
execute_process(COMMAND sh -c "cat '${stage}/launcher.zip' >> '${BINARY}'" RESULT_VARIABLE appended)
if(NOT appended EQUAL 0)
  message(FATAL_ERROR "PythonLauncher: could not append the launcher to ${BINARY}")
endif()
