// The single translation unit that compiles Boost's separately-compilable libraries.
// Everything else includes only their declarations (see practica_boost in src/CMakeLists.txt).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
