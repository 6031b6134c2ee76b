// The courses the fuzz targets and their seeds are built from: the demo course and the test
// fixture of every exercise type, in a fixed order (the answer target picks its exercise by index
// into it).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "content/bundle.h"
#include "domain/course.h"

namespace practica::fuzz {

inline std::vector<std::string> BundleFolders() {
  const std::string root = PRACTICA_SOURCE_DIR;
  std::vector<std::string> folders = {root + "/content/everyday-data"};
  for (const char* fixture : {"single-choice", "multiple-choice", "true-false", "numeric",
                              "short-text", "cloze", "ordering", "matching", "formula", "essay"}) {
    folders.push_back(root + "/tests/content/fixtures/" + fixture);
  }
  return folders;
}

// Every course of BundleFolders(), read; a bundle that does not read stops the program.
inline std::vector<domain::Course> LoadCourses() {
  std::vector<domain::Course> courses;
  for (const std::string& folder : BundleFolders()) {
    auto course = content::ReadBundle(folder);
    if (!course) {
      std::fprintf(stderr, "cannot read the bundle %s: %s\n", folder.c_str(),
                   course.error().message.c_str());
      std::abort();
    }
    courses.push_back(std::move(course).value());
  }
  return courses;
}

// Every exercise of those courses, in course, lesson and exercise order.
inline std::vector<domain::Exercise> LoadExercises() {
  std::vector<domain::Exercise> exercises;
  for (const domain::Course& course : LoadCourses()) {
    for (const domain::Lesson& lesson : course.lessons) {
      exercises.insert(exercises.end(), lesson.exercises.begin(), lesson.exercises.end());
    }
  }
  return exercises;
}

}  // namespace practica::fuzz
