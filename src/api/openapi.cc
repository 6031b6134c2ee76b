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
    },    "/api/auth/signup": {
      "post": {
        "operationId": "signUp",
        "summary": "Create a learner account and sign in; the refresh token comes as an HttpOnly cookie",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignUp"}}}},
        "responses": {
          "201": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "409": {"$ref": "#/components/responses/Problem"},
          "429": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/auth/login": {
      "post": {
        "operationId": "logIn",
        "summary": "Sign in; with two-factor sign-in on, 401 mfa-required until otp is sent",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogIn"}}}},
        "responses": {
          "200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
          "401": {"$ref": "#/components/responses/Problem"},
          "403": {"$ref": "#/components/responses/Problem"},
          "429": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/auth/refresh": {
      "post": {
        "operationId": "refresh",
        "summary": "Rotate the refresh cookie and get a new access token",
        "responses": {
          "200": {"description": "Refreshed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
          "401": {"$ref": "#/components/responses/Problem"},
          "429": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/auth/logout": {
      "post": {
        "operationId": "logOut",
        "summary": "End this sign-in and clear the cookie",
        "responses": {"204": {"description": "Signed out"}}
      }
    },
    "/api/me": {
      "get": {
        "operationId": "getMe",
        "summary": "The caller's account",
        "security": [{"bearer": []}],
        "responses": {
          "200": {"description": "The account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
          "401": {"$ref": "#/components/responses/Problem"}
        }
      },
      "patch": {
        "operationId": "updateMe",
        "summary": "Change display name or time zone",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"display_name": {"type": "string"}, "time_zone": {"type": "string"}}}}}},
        "responses": {
          "200": {"description": "The account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
          "400": {"$ref": "#/components/responses/Problem"}
        }
      },
      "delete": {
        "operationId": "deleteMe",
        "summary": "Delete the account and its personal data (password required)",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordConfirmation"}}}},
        "responses": {"204": {"description": "Deleted"}, "400": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/me/password": {
      "post": {
        "operationId": "changePassword",
        "summary": "Change the password; every other sign-in ends",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["current_password", "new_password"], "additionalProperties": false, "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string"}}}}}},
        "responses": {"204": {"description": "Changed"}, "400": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/me/export": {
      "get": {
        "operationId": "exportMe",
        "summary": "Everything stored about the caller",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "The export", "content": {"application/json": {}}}}
      }
    },
    "/api/me/mfa/totp": {
      "post": {
        "operationId": "startTotp",
        "summary": "Begin two-factor set-up: a new secret and its otpauth URI",
        "security": [{"bearer": []}],
        "responses": {"201": {"description": "Pending secret", "content": {"application/json": {"schema": {"type": "object", "required": ["secret", "otpauth_uri"], "properties": {"secret": {"type": "string"}, "otpauth_uri": {"type": "string"}}}}}}, "409": {"$ref": "#/components/responses/Problem"}}
      },
      "delete": {
        "operationId": "disableTotp",
        "summary": "Turn two-factor sign-in off (learners only; password required)",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordConfirmation"}}}},
        "responses": {"204": {"description": "Off"}, "403": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/me/mfa/totp/confirm": {
      "post": {
        "operationId": "confirmTotp",
        "summary": "Finish set-up with a current code: recovery codes (shown once) and a new token",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code"], "additionalProperties": false, "properties": {"code": {"type": "string"}}}}}},
        "responses": {"200": {"description": "On", "content": {"application/json": {"schema": {"type": "object", "required": ["recovery_codes", "access_token", "expires_in"], "properties": {"recovery_codes": {"type": "array", "items": {"type": "string"}}, "access_token": {"type": "string"}, "expires_in": {"type": "integer"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/exercises/{exercise}/attempts": {
      "post": {
        "operationId": "submitAttempt",
        "summary": "Answer an exercise: graded at once, stored durably exactly once",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/exercise"},
          {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 255}, "description": "Same key and body: the stored response again; same key, other body: 422; while the first is in flight: 409"}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answer"], "additionalProperties": false, "properties": {"answer": {"description": "shape per exercise type (DESIGN.md); essay: the text (a string)"}, "time_taken_ms": {"type": "integer", "minimum": 0, "maximum": 86400000, "description": "from showing the exercise to submitting, for analytics"}}}}}},
        "responses": {
          "201": {"description": "Graded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AttemptResult"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "401": {"$ref": "#/components/responses/Problem"},
          "404": {"$ref": "#/components/responses/Problem"},
          "409": {"$ref": "#/components/responses/Problem"},
          "422": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/exercises/{exercise}/hints": {
      "post": {
        "operationId": "nextHint",
        "summary": "Reveal the next hint (its use is recorded)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/exercise"}],
        "responses": {
          "200": {"description": "The hint", "content": {"application/json": {"schema": {"type": "object", "required": ["hint_html", "hint_number", "hints_left"], "properties": {"hint_html": {"type": "string"}, "hint_number": {"type": "integer"}, "hints_left": {"type": "integer"}}}}}},
          "409": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/me/progress": {
      "get": {
        "operationId": "listProgress",
        "summary": "Completion and score per course touched, XP and streak",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "Progress", "content": {"application/json": {}}}}
      }
    },
    "/api/me/progress/{course}": {
      "get": {
        "operationId": "getCourseProgress",
        "summary": "Progress in one course, per exercise",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"description": "Progress", "content": {"application/json": {}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/me/reviews": {
      "get": {
        "operationId": "listDueReviews",
        "summary": "Review cards due now, most overdue first (FSRS)",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "Due cards", "content": {"application/json": {}}}}
      }
    },
    "/api/me/reviews/{exercise}": {
      "post": {
        "operationId": "rateReview",
        "summary": "Rate a review: again, hard, good or easy; schedules the next one",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/exercise"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["rating"], "additionalProperties": false, "properties": {"rating": {"enum": ["again", "hard", "good", "easy"]}}}}}},
        "responses": {"200": {"description": "Next due", "content": {"application/json": {}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/analytics/courses/{course}/items": {
      "get": {
        "operationId": "analyticsItems",
        "summary": "Item statistics per exercise: attempts, learners, facility, SD, discrimination, median time, common wrong answers (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/format"}
        ],
        "responses": {"200": {"description": "JSON, or CSV with format=csv", "content": {"application/json": {}, "text/csv": {}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/analytics/courses/{course}/funnel": {
      "get": {
        "operationId": "analyticsFunnel",
        "summary": "Lesson funnel: learners who viewed, attempted and completed each lesson (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/format"}
        ],
        "responses": {"200": {"description": "JSON, or CSV with format=csv", "content": {"application/json": {}, "text/csv": {}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/analytics/courses/{course}/completions": {
      "get": {
        "operationId": "analyticsCompletions",
        "summary": "Course completions per day, with the running total (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/format"}
        ],
        "responses": {"200": {"description": "JSON, or CSV with format=csv", "content": {"application/json": {}, "text/csv": {}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/analytics/courses/{course}/activity": {
      "get": {
        "operationId": "analyticsActivity",
        "summary": "Active learners per day, week or month (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/format"},
          {"name": "interval", "in": "query", "schema": {"enum": ["day", "week", "month"], "default": "day"}}
        ],
        "responses": {"200": {"description": "JSON, or CSV with format=csv", "content": {"application/json": {}, "text/csv": {}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/analytics/courses/{course}/retention": {
      "get": {
        "operationId": "analyticsRetention",
        "summary": "Retention by sign-up week cohort (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/format"}
        ],
        "responses": {"200": {"description": "JSON, or CSV with format=csv", "content": {"application/json": {}, "text/csv": {}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/xapi": {
      "get": {
        "operationId": "courseXapiStatements",
        "summary": "The course's xAPI statements (answered, completed) as one JSON array, rebuilt from its analytics events: the statements, ids included, the LRS receives live (instructors and admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/course"},
          {"$ref": "#/components/parameters/from"},
          {"$ref": "#/components/parameters/to"}
        ],
        "responses": {"200": {"description": "xAPI 1.0.3 statements, a download", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["id", "actor", "verb", "object", "timestamp"]}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/admin/users": {
      "get": {
        "operationId": "listUsers",
        "summary": "Accounts, searchable by email or name (admins with a second factor)",
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "q", "in": "query", "schema": {"type": "string"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "A page of users", "content": {"application/json": {"schema": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}, "next_cursor": {"type": ["string", "null"]}}}}}}, "403": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/admin/users/{id}": {
      "patch": {
        "operationId": "updateUser",
        "summary": "Change a user's role or disable the account",
        "security": [{"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"role": {"enum": ["learner", "instructor", "admin"]}, "disabled": {"type": "boolean"}}}}}},
        "responses": {"200": {"description": "The user", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (EdDSA)"}
    },
    "parameters": {
      "from": {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "first day (UTC), included; default: 89 days before to"},
      "to": {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "last day (UTC), included; default: today"},
      "format": {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"], "default": "json"}},
      "course": {"name": "course", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Slug"}},
      "exercise": {"name": "exercise", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,64}\\.[a-z0-9-]{1,64}$"}, "description": "course slug, a dot, exercise id (the ref of lesson exercises)"}
    },
    "responses": {
      "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    },
    "schemas": {
      "AttemptResult": {
        "type": "object",
        "required": ["attempt_id", "exercise", "attempt_number", "score", "raw_score", "correct", "graded", "feedback_html", "parts", "attempts_left", "progress"],
        "properties": {
          "attempt_id": {"type": "string"},
          "exercise": {"type": "string"},
          "attempt_number": {"type": "integer"},
          "score": {"type": "number"},
          "raw_score": {"type": "number"},
          "correct": {"type": "boolean"},
          "graded": {"type": "boolean", "description": "false for an answer kept without grading (essay): score 0, not correct, counted as done"},
          "feedback_html": {"type": "string"},
          "parts": {"type": "array", "items": {"type": "object", "properties": {"part": {"type": "string"}, "score": {"type": "number"}, "correct": {"type": "boolean"}, "feedback_html": {"type": "string"}}}},
          "explanation_html": {"type": "string", "description": "after a correct answer, the last allowed try, or an ungraded answer"},
          "attempts_left": {"type": ["integer", "null"]},
          "progress": {"type": "object"}
        }
      },
      "User": {
        "type": "object",
        "required": ["id", "email", "display_name", "role", "time_zone", "created_at", "last_login_at", "mfa_enabled"],
        "properties": {
          "id": {"type": "string"},
          "email": {"type": "string"},
          "display_name": {"type": "string"},
          "role": {"enum": ["learner", "instructor", "admin"]},
          "time_zone": {"type": "string"},
          "created_at": {"type": "string", "format": "date-time"},
          "last_login_at": {"type": ["string", "null"], "format": "date-time"},
          "mfa_enabled": {"type": "boolean"},
          "disabled": {"type": "boolean", "description": "admin listings only"}
        }
      },
      "Session": {
        "type": "object",
        "required": ["user", "access_token", "expires_in"],
        "properties": {"user": {"$ref": "#/components/schemas/User"}, "access_token": {"type": "string"}, "expires_in": {"type": "integer"}}
      },
      "SignUp": {
        "type": "object",
        "required": ["email", "password", "display_name"],
        "properties": {"email": {"type": "string"}, "password": {"type": "string", "minLength": 8}, "display_name": {"type": "string"}, "time_zone": {"type": "string"}, "role": {"description": "ignored: every account starts as a learner"}}
      },
      "LogIn": {
        "type": "object",
        "required": ["email", "password"],
        "additionalProperties": false,
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}, "otp": {"type": "string", "description": "a TOTP code or a recovery code"}}
      },
      "PasswordConfirmation": {
        "type": "object", "required": ["password"], "additionalProperties": false,
        "properties": {"password": {"type": "string"}}
      },
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
          "ref": {"type": "string", "description": "course.exercise, for /api/exercises/{exercise}/…"},
          "type": {"enum": ["single_choice", "multiple_choice", "true_false", "numeric", "short_text", "cloze", "ordering", "matching", "formula", "essay"]},
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
