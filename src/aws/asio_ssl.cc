// Asio's TLS support, compiled once (the project builds Asio with BOOST_ASIO_SEPARATE_COMPILATION;
// see practica_boost). It lives in this layer rather than in common/boost_impl.cc because only the
// HTTPS client uses TLS: the other layers then link neither this code nor libssl.
#include <boost/asio/ssl/impl/src.hpp>
