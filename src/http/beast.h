// Internal to trellis_http and its tests: the Boost.Asio and Boost.Beast
// headers, included in one place because of the warning below.
#pragma once

// GCC 12 at -O2 warns, inside Beast's parser, that its boost::optional body
// limit may be read uninitialised: GCC's known false positive for
// boost::optional (GCC bug 80635). The warning is wrong, not the code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
