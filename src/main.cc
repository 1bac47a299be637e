// caravan: one binary for the orchestrator, the catalog and the ingress.
// main() only hands over to the command table in cli/.
#include "cli/commands.h"

int main(int argc, char** argv) { return caravan::cli::run_main(argc, argv); }
