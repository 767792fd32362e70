# Debian 12 packages; see ../shared/TOOLCHAIN.md for why each is found this way.
find_package(Threads REQUIRED)

# CAF ships no CMake config and no .pc file.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(caf::core UNKNOWN IMPORTED)
set_target_properties(caf::core PROPERTIES IMPORTED_LOCATION ${CAF_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CAF_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(caf::io UNKNOWN IMPORTED)
set_target_properties(caf::io PROPERTIES IMPORTED_LOCATION ${CAF_IO_LIBRARY}
  INTERFACE_LINK_LIBRARIES caf::core)
# CAF's OpenSSL module (libcaf-openssl0.17): TLS between cluster nodes.
find_package(OpenSSL REQUIRED)
find_library(CAF_OPENSSL_LIBRARY caf_openssl REQUIRED)
add_library(caf::openssl UNKNOWN IMPORTED)
set_target_properties(caf::openssl PROPERTIES IMPORTED_LOCATION ${CAF_OPENSSL_LIBRARY}
  INTERFACE_LINK_LIBRARIES "caf::io;OpenSSL::SSL;OpenSSL::Crypto")

# Standalone Asio: without ASIO_STANDALONE websocketpp silently uses Boost.Asio.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(asio_standalone INTERFACE)
target_include_directories(asio_standalone INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(asio_standalone INTERFACE ASIO_STANDALONE)
target_link_libraries(asio_standalone INTERFACE Threads::Threads)

find_package(websocketpp CONFIG REQUIRED)

find_package(RapidJSON CONFIG REQUIRED)
add_library(rapidjson_headers INTERFACE)
target_include_directories(rapidjson_headers INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
target_compile_definitions(rapidjson_headers INTERFACE RAPIDJSON_HAS_STDSTRING=1)

# gnuplot-iostream needs Boost.Iostreams (and Boost.Filesystem for its temp files).
find_package(Boost REQUIRED COMPONENTS iostreams filesystem)

find_package(doctest CONFIG REQUIRED)
