// Subcommand registration: each cmd_<name>.cpp adds its subcommand to the root app and the
// function that runs it. Parsing and printing live in apps/; the work lives in src/.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace w2v::app {

struct Command {
  CLI::App* sub = nullptr;
  std::function<int()> run;  // returns the exit code; may throw w2v::Error
};
using Commands = std::vector<Command>;

void register_train(CLI::App& root, Commands& out);
void register_nearest(CLI::App& root, Commands& out);
void register_analogy(CLI::App& root, Commands& out);
void register_similarity(CLI::App& root, Commands& out);
void register_vec(CLI::App& root, Commands& out);
void register_eval(CLI::App& root, Commands& out);
void register_plot(CLI::App& root, Commands& out);
void register_phrases(CLI::App& root, Commands& out);
void register_clusters(CLI::App& root, Commands& out);
void register_convert(CLI::App& root, Commands& out);
void register_index(CLI::App& root, Commands& out);

// `w2v train --eval-analogy/--eval-similarity`: reads and checks the evaluation sets now (throws
// w2v::Error naming the file), and returns the step that scores the vectors file once written,
// prints to stdout and returns an exit code. Implemented with the eval subcommand.
std::function<int(const std::string&)> prepare_evaluation(const std::string& analogy_file,
                                                          const std::string& similarity_file);

// The model to read: `given` (-m FILE), else $W2V_MODEL, else ./vectors.bin. When nothing was
// named and ./vectors.bin does not exist, throws w2v::Error saying how to name a model.
std::string model_path(const std::string& given);

}  // namespace w2v::app
