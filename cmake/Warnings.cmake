# heardmap_warnings(target): the project's warning set.
function(heardmap_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()

