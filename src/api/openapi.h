// The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json.
#pragma once

#include <string_view>

#include "http/router.h"

namespace practica::api {

// The document itself (JSON). A test checks that its paths are exactly the router's routes.
std::string_view OpenApiJson();

Result<http::Response> OpenApiDocument(const http::Request& request);

}  // namespace practica::api
