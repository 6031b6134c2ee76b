#include "api/openapi.h"

namespace practica::api {

std::string_view OpenApiJson() {
  // Kept by hand beside routes.cc; tests/api/openapi_test.cc fails when the two disagree.
  static constexpr std::string_view kDocument = R"json({
  "openapi": "3.1.0",
  "info": {
    "title": "Practica API",
    "version": "0.1.0",
    "description": "The HTTP API of Practica, an e-learning platform. Errors are application/problem+json (RFC 9457)."
  },
  "paths": {
    "/api/health": {
      "get": {
        "operationId": "getHealth",
        "summary": "Liveness: the process answers",
        "responses": {"200": {"description": "Alive", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
      }
    },
    "/api/ready": {
      "get": {
        "operationId": "getReady",
        "summary": "Readiness: every store answers",
        "responses": {
          "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
          "503": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/openapi.json": {
      "get": {
        "operationId": "getOpenApi",
        "summary": "This document",
        "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {}}}}
      }
    },
    "/api/courses": {
      "get": {
        "operationId": "listCourses",
        "summary": "The published catalog, by slug",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page"}
        ],
        "responses": {
          "200": {"description": "A page of courses", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CoursePage"}}}},
          "400": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/courses/{course}": {
      "get": {
        "operationId": "getCourse",
        "summary": "A course and its lesson outline",
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {
          "200": {"description": "The course", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CourseOutline"}}}},
          "404": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/courses/{course}/lessons/{lesson}": {
      "get": {
        "operationId": "getLesson",
        "summary": "A lesson: its HTML and its exercises without answer keys",
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"name": "lesson", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Slug"}}
        ],
        "responses": {
          "200": {"description": "The lesson", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Lesson"}}}},
          "304": {"description": "Not modified (If-None-Match)"},
          "404": {"$ref": "#/components/responses/Problem"}
        }
      }
    }
  },
  "components": {
    "parameters": {
      "course": {"name": "course", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Slug"}}
    },
    "responses": {
      "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    },
    "schemas": {
      "Slug": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
      "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "request_id"],
        "properties": {
          "type": {"type": "string"},
          "title": {"type": "string"},
          "status": {"type": "integer"},
          "detail": {"type": "string"},
          "request_id": {"type": "string"},
          "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
        }
      },
      "CourseSummary": {
        "type": "object",
        "required": ["slug", "title", "summary", "language", "tags", "lesson_count", "exercise_count"],
        "properties": {
          "slug": {"$ref": "#/components/schemas/Slug"},
          "title": {"type": "string"},
          "summary": {"type": "string"},
          "language": {"type": "string"},
          "tags": {"type": "array", "items": {"type": "string"}},
          "lesson_count": {"type": "integer"},
          "exercise_count": {"type": "integer"}
        }
      },
      "CoursePage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/CourseSummary"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "CourseOutline": {
        "allOf": [
          {"$ref": "#/components/schemas/CourseSummary"},
          {
            "type": "object",
            "required": ["lessons"],
            "properties": {
              "lessons": {"type": "array", "items": {"type": "object", "required": ["slug", "title", "exercise_count"], "properties": {"slug": {"type": "string"}, "title": {"type": "string"}, "exercise_count": {"type": "integer"}}}}
            }
          }
        ]
      },
      "LessonLink": {
        "type": ["object", "null"],
        "required": ["slug", "title"],
        "properties": {"slug": {"type": "string"}, "title": {"type": "string"}}
      },
      "Lesson": {
        "type": "object",
        "required": ["course", "slug", "title", "html", "exercises", "previous", "next"],
        "properties": {
          "course": {"type": "string"},
          "slug": {"type": "string"},
          "title": {"type": "string"},
          "html": {"type": "string", "description": "Each exercise sits at <div class=\"exercise-slot\" data-exercise-id=\"ID\"></div>"},
          "exercises": {"type": "array", "items": {"$ref": "#/components/schemas/Exercise"}},
          "previous": {"$ref": "#/components/schemas/LessonLink"},
          "next": {"$ref": "#/components/schemas/LessonLink"}
        }
      },
      "Entry": {"type": "object", "required": ["id", "text_html"], "properties": {"id": {"type": "string"}, "text_html": {"type": "string"}}},
      "Exercise": {
        "type": "object",
        "description": "Never carries the answer key, feedback, hints or explanation.",
        "required": ["id", "type", "prompt_html", "hint_count", "max_attempts"],
        "properties": {
          "id": {"type": "string"},
          "type": {"enum": ["single_choice", "multiple_choice", "true_false", "numeric", "short_text", "cloze", "ordering", "matching", "formula"]},
          "prompt_html": {"type": "string"},
          "hint_count": {"type": "integer"},
          "max_attempts": {"type": ["integer", "null"]},
          "options": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}, "description": "single_choice, multiple_choice"},
          "shuffle": {"type": "boolean"},
          "gaps": {"type": "array", "items": {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["numeric", "short_text", "choice"]}, "options": {"type": "array", "items": {"type": "string"}}}}},
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}, "description": "ordering, shown shuffled"},
          "left": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}},
          "right": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}},
          "variables": {"type": "array", "items": {"type": "string"}}
        }
      }
    }
  }
})json";
  return kDocument;
}

Result<http::Response> OpenApiDocument(const http::Request&) {
  http::Response response = http::Response::Json(200, std::string(OpenApiJson()));
  response.headers.Set("Cache-Control", "no-cache");
  return response;
}

}  // namespace practica::api
