#include "cli/main.h"

int main(int argc, char** argv) { return practica::cli::Main(argc, argv); }
