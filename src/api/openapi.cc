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
    "/api/authoring/courses": {
      "get": {
        "operationId": "listAuthoredCourses",
        "summary": "The courses the caller may author: an instructor's own, every course for an admin (with those published before authoring existed: adopted false)",
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "A page of courses", "content": {"application/json": {"schema": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/AuthoredCourse"}}, "next_cursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
      },
      "post": {
        "operationId": "createCourse",
        "summary": "A new course draft; the caller owns it",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["slug", "title"], "additionalProperties": false, "properties": {"slug": {"$ref": "#/components/schemas/Slug"}, "title": {"type": "string"}, "summary": {"type": "string"}, "language": {"type": "string", "default": "en"}, "tags": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"201": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/preview": {
      "post": {
        "operationId": "previewMarkdown",
        "summary": "Markdown rendered as import stores it (maths left for KaTeX in the browser)",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["markdown"], "additionalProperties": false, "properties": {"markdown": {"type": "string"}, "inline": {"type": "boolean", "default": false, "description": "short text (an option, a hint): without the paragraph around it"}}}}}},
        "responses": {"200": {"description": "The HTML", "content": {"application/json": {"schema": {"type": "object", "required": ["html"], "properties": {"html": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}": {
      "get": {
        "operationId": "getDraft",
        "summary": "The course's draft, answer keys included; ETag is its revision",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "404": {"$ref": "#/components/responses/Problem"}}
      },
      "patch": {
        "operationId": "updateCourse",
        "summary": "Change the course's own fields",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"title": {"type": "string"}, "summary": {"type": "string"}, "language": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/owners": {
      "get": {
        "operationId": "getOwners",
        "summary": "Who owns the course",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"$ref": "#/components/responses/Owners"}, "404": {"$ref": "#/components/responses/Problem"}}
      },
      "put": {
        "operationId": "setOwners",
        "summary": "Set the course's owners: instructors or admins (admins only)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["owners"], "additionalProperties": false, "properties": {"owners": {"type": "array", "items": {"type": "string"}, "maxItems": 50}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Owners"}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/lessons": {
      "post": {
        "operationId": "addLesson",
        "summary": "Add a lesson (at position, 0-based; at the end by default)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["slug", "title"], "additionalProperties": false, "properties": {"slug": {"$ref": "#/components/schemas/Slug"}, "title": {"type": "string"}, "markdown": {"type": "string"}, "position": {"type": "integer", "minimum": 0}}}}}},
        "responses": {"201": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/lessons/{lesson}": {
      "patch": {
        "operationId": "updateLesson",
        "summary": "Change a lesson's title or body: Markdown blocks and where each of its exercises sits (each placed once)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/lesson"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"title": {"type": "string"}, "blocks": {"type": "array", "items": {"$ref": "#/components/schemas/LessonBlock"}}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      },
      "delete": {
        "operationId": "deleteLesson",
        "summary": "Delete a lesson and its exercises from the draft",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/lesson"}, {"$ref": "#/components/parameters/ifMatch"}],
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/lesson-order": {
      "put": {
        "operationId": "reorderLessons",
        "summary": "Put the lessons in a new order (every lesson once, by slug)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["lessons"], "additionalProperties": false, "properties": {"lessons": {"type": "array", "items": {"$ref": "#/components/schemas/Slug"}}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/lessons/{lesson}/exercises": {
      "post": {
        "operationId": "addExercise",
        "summary": "Add an exercise to a lesson (before the exercise at position, 0-based; at the end by default); problems name their field (exercise.options[1].correct)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/lesson"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["exercise"], "additionalProperties": false, "properties": {"exercise": {"$ref": "#/components/schemas/ExerciseForm"}, "position": {"type": "integer", "minimum": 0}}}}}},
        "responses": {"201": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/exercises/{exercise}": {
      "get": {
        "operationId": "getDraftExercise",
        "summary": "One exercise of the draft: its form, how learners see it, its fingerprint",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/exerciseId"}],
        "responses": {"200": {"description": "The exercise", "content": {"application/json": {"schema": {"type": "object", "required": ["lesson", "exercise", "view", "fingerprint"], "properties": {"lesson": {"type": "string"}, "exercise": {"$ref": "#/components/schemas/ExerciseForm"}, "view": {"$ref": "#/components/schemas/Exercise"}, "fingerprint": {"type": "string"}}}}}}, "404": {"$ref": "#/components/responses/Problem"}}
      },
      "put": {
        "operationId": "updateExercise",
        "summary": "Replace an exercise (its id stays)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/exerciseId"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["exercise"], "additionalProperties": false, "properties": {"exercise": {"$ref": "#/components/schemas/ExerciseForm"}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      },
      "delete": {
        "operationId": "deleteExercise",
        "summary": "Delete an exercise from the draft (published versions keep it)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/exerciseId"}, {"$ref": "#/components/parameters/ifMatch"}],
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/exercises/{exercise}/move": {
      "post": {
        "operationId": "moveExercise",
        "summary": "Move an exercise within its lesson or to another (before the exercise at position; at the end by default)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/exerciseId"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["lesson"], "additionalProperties": false, "properties": {"lesson": {"$ref": "#/components/schemas/Slug"}, "position": {"type": "integer", "minimum": 0}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/exercises/{exercise}/try": {
      "post": {
        "operationId": "tryExercise",
        "summary": "Grade an answer against the draft's exercise with the real grader; nothing is stored",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/exerciseId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answer"], "additionalProperties": false, "properties": {"answer": {"description": "shape per exercise type, as for attempts"}}}}}},
        "responses": {"200": {"description": "The grade", "content": {"application/json": {"schema": {"type": "object", "required": ["exercise", "score", "correct", "graded", "feedback_html", "parts", "explanation_html"], "properties": {"exercise": {"type": "string"}, "score": {"type": "number"}, "correct": {"type": "boolean"}, "graded": {"type": "boolean"}, "feedback_html": {"type": "string"}, "parts": {"type": "array", "items": {"type": "object"}}, "explanation_html": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/publish": {
      "post": {
        "operationId": "publishCourse",
        "summary": "Publish the draft as a new version that learners see (201), or make the newest version live again when the draft has no changes (200); checked as a bundle would be",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}],
        "responses": {"200": {"$ref": "#/components/responses/Published"}, "201": {"$ref": "#/components/responses/Published"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/unpublish": {
      "post": {
        "operationId": "unpublishCourse",
        "summary": "Take the course out of the catalog; its draft, versions and learners' progress stay",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"description": "Unpublished", "content": {"application/json": {"schema": {"type": "object", "required": ["course"], "properties": {"course": {"$ref": "#/components/schemas/AuthoredCourse"}}}}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/versions": {
      "get": {
        "operationId": "listVersions",
        "summary": "Every published version, newest first",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"description": "The versions", "content": {"application/json": {"schema": {"type": "object", "required": ["course", "items", "next_cursor"], "properties": {"course": {"$ref": "#/components/schemas/AuthoredCourse"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/CourseVersion"}}, "next_cursor": {"type": "null"}}}}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/versions/{version}": {
      "get": {
        "operationId": "getVersion",
        "summary": "A published version with its content",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/version"}],
        "responses": {"200": {"description": "The version", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/CourseVersion"}, {"$ref": "#/components/schemas/CourseContent"}]}}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/versions/{version}/rollback": {
      "post": {
        "operationId": "rollbackCourse",
        "summary": "Publish an earlier version's content again as a new version, which also becomes the draft",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/version"}, {"$ref": "#/components/parameters/ifMatch"}],
        "responses": {"201": {"$ref": "#/components/responses/Published"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/exercise-versions/{fingerprint}": {
      "get": {
        "operationId": "getExerciseVersion",
        "summary": "An exercise as a published version defined it, by the fingerprint attempts record (exercise_version)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"name": "fingerprint", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}],
        "responses": {"200": {"description": "The exercise version", "content": {"application/json": {"schema": {"type": "object", "required": ["fingerprint", "exercise_id", "first_version", "published_at", "exercise", "view"], "properties": {"fingerprint": {"type": "string"}, "exercise_id": {"type": "string"}, "first_version": {"type": "integer"}, "published_at": {"type": "string", "format": "date-time"}, "exercise": {"$ref": "#/components/schemas/ExerciseForm"}, "view": {"$ref": "#/components/schemas/Exercise"}}}}}}, "404": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/gift": {
      "get": {
        "operationId": "downloadGift",
        "summary": "The draft as Moodle GIFT text; what GIFT cannot hold refuses the export unless skip_unsupported=true (then listed in X-Gift-Skipped)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"name": "skip_unsupported", "in": "query", "schema": {"type": "boolean", "default": false}}],
        "responses": {"200": {"description": "The GIFT text, as the attachment COURSE.gift", "content": {"text/plain": {"schema": {"type": "string"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      },
      "put": {
        "operationId": "uploadGift",
        "summary": "Replace the draft's lessons with a GIFT file's questions (a lesson per $CATEGORY; at most 8 MiB); every problem names its line and nothing changes, unless skip_unsupported=true leaves out what cannot be represented (listed in gift_problems)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}, {"name": "skip_unsupported", "in": "query", "schema": {"type": "boolean", "default": false}}],
        "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "413": {"$ref": "#/components/responses/Problem"}, "429": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/authoring/courses/{course}/bundle": {
      "get": {
        "operationId": "downloadBundle",
        "summary": "The draft as a bundle zip (docs/CONTENT.md), as `practica export COURSE out.zip` writes it; ETag is the draft's revision",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}],
        "responses": {"200": {"description": "The zip, as the attachment COURSE.zip", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
      },
      "put": {
        "operationId": "uploadBundle",
        "summary": "Replace the draft with the course in a bundle zip (at most 50 MiB), checked whole as `practica import` checks it: problems name the zip's entry and line; publish makes it live",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/course"}, {"$ref": "#/components/parameters/ifMatch"}],
        "requestBody": {"required": true, "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {"200": {"$ref": "#/components/responses/Draft"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "413": {"$ref": "#/components/responses/Problem"}, "429": {"$ref": "#/components/responses/Problem"}}
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
      "lesson": {"name": "lesson", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Slug"}},
      "exerciseId": {"name": "exercise", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Slug"}, "description": "the exercise's id in the course"},
      "version": {"name": "version", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}},
      "ifMatch": {"name": "If-Match", "in": "header", "schema": {"type": "string"}, "description": "the ETag the draft came with; another revision is refused with 412 (without it, the change applies to the newest draft)"},
      "exercise": {"name": "exercise", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,64}\\.[a-z0-9-]{1,64}$"}, "description": "course slug, a dot, exercise id (the ref of lesson exercises)"}
    },
    "responses": {
      "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Draft": {"description": "The draft, with its revision as ETag", "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/AuthoredCourse"}, {"$ref": "#/components/schemas/CourseContent"}]}}}},
      "Published": {"description": "The version now live", "content": {"application/json": {"schema": {"type": "object", "required": ["version", "course"], "properties": {"version": {"type": "integer"}, "rolled_back_to": {"type": "integer"}, "course": {"$ref": "#/components/schemas/AuthoredCourse"}}}}}},
      "Owners": {"description": "The owners", "content": {"application/json": {"schema": {"type": "object", "required": ["course", "owners"], "properties": {"course": {"type": "string"}, "owners": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "email": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"}, "deleted": {"type": "boolean"}}}}}}}}}
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
      "AuthoredCourse": {
        "type": "object",
        "required": ["slug", "title", "owners", "revision", "latest_version", "live_version", "status", "unpublished_changes", "created_at", "updated_at"],
        "properties": {
          "slug": {"$ref": "#/components/schemas/Slug"},
          "title": {"type": "string"},
          "owners": {"type": "array", "items": {"type": "string"}, "description": "user ids"},
          "revision": {"type": ["integer", "null"], "description": "the draft's revision (the ETag); null for a course authoring has not adopted yet"},
          "latest_version": {"type": ["integer", "null"]},
          "live_version": {"type": ["integer", "null"], "description": "the version learners see; null: unpublished"},
          "status": {"enum": ["draft", "published", "unpublished"]},
          "unpublished_changes": {"type": "boolean"},
          "created_at": {"type": ["string", "null"], "format": "date-time"},
          "updated_at": {"type": ["string", "null"], "format": "date-time"},
          "adopted": {"type": "boolean", "description": "in listings: false for a course published before authoring existed (an admin's first visit adopts it)"}
        }
      },
      "CourseContent": {
        "type": "object",
        "required": ["slug", "title", "summary", "language", "tags", "lessons"],
        "properties": {
          "slug": {"$ref": "#/components/schemas/Slug"},
          "title": {"type": "string"},
          "summary": {"type": "string"},
          "language": {"type": "string"},
          "tags": {"type": "array", "items": {"type": "string"}},
          "lessons": {"type": "array", "items": {"type": "object", "required": ["slug", "title", "blocks", "exercises"], "properties": {"slug": {"type": "string"}, "title": {"type": "string"}, "blocks": {"type": "array", "items": {"$ref": "#/components/schemas/LessonBlock"}}, "exercises": {"type": "array", "items": {"$ref": "#/components/schemas/ExerciseForm"}}}}}
        }
      },
      "LessonBlock": {
        "type": "object",
        "description": "Markdown, or the place of one of the lesson's exercises",
        "oneOf": [
          {"required": ["markdown"], "additionalProperties": false, "properties": {"markdown": {"type": "string"}}},
          {"required": ["exercise"], "additionalProperties": false, "properties": {"exercise": {"$ref": "#/components/schemas/Slug"}}}
        ]
      },
      "ExerciseForm": {
        "type": "object",
        "description": "The fields of an exercise block of the bundle format (docs/CONTENT.md) as JSON, answer key included: id, type, prompt, and the type's fields (options, answer, tolerance, answers, gaps, items, pairs, variables, …)",
        "required": ["id", "type", "prompt"],
        "properties": {"id": {"$ref": "#/components/schemas/Slug"}, "type": {"enum": ["single_choice", "multiple_choice", "true_false", "numeric", "short_text", "cloze", "ordering", "matching", "formula", "essay"]}, "prompt": {"type": "string"}}
      },
      "CourseVersion": {
        "type": "object",
        "required": ["version", "published_by", "published_at", "source", "draft_revision", "title", "lesson_count", "exercise_count", "live"],
        "properties": {
          "version": {"type": "integer"},
          "published_by": {"type": ["string", "null"], "description": "a user id; null for an import"},
          "published_at": {"type": "string", "format": "date-time"},
          "source": {"enum": ["publish", "rollback", "import", "adopt"]},
          "draft_revision": {"type": "integer"},
          "title": {"type": "string"},
          "lesson_count": {"type": "integer"},
          "exercise_count": {"type": "integer"},
          "live": {"type": "boolean"}
        }
      },
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
