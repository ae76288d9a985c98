// NumPy .npy files (format version 1.0, little-endian float32, C order), for maps that researchers
// load with numpy.load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

// The bytes of an .npy file holding values with shape (row-major). Throws std::invalid_argument
// when the shape does not match the number of values.
std::string npyFloat32(const std::vector<int64_t>& shape, const std::vector<float>& values);
// Writes npyFloat32(shape, values) to path atomically. Throws FileError.
void saveNpy(const std::string& path, const std::vector<int64_t>& shape,
             const std::vector<float>& values);

}  // namespace heardmap
