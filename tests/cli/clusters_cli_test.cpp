// w2v clusters through the binary: well separated blobs come back as the clusters, the result
// is the same for 1 and 2 threads, k beyond the vocabulary is a usage error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/vectors_format.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;

// `blobs` groups of `per` words around random centres far apart on the sphere (dim 16), the
// groups interleaved in file order. Word "b<g>_<i>" belongs to group g.
void write_blobs(const std::string& path, int blobs, int per, std::uint64_t seed, float noise) {
  const std::size_t dim = 16;
  Rng rng(seed);
  std::vector<std::vector<float>> centre(static_cast<std::size_t>(blobs), std::vector<float>(dim));
  for (int g = 0; g < blobs; ++g) {
    // One-hot-like centres: orthogonal, so 1.41 apart once normalised.
    centre[static_cast<std::size_t>(g)][static_cast<std::size_t>(g) % dim] = 1.0f;
  }
  std::vector<std::string> words;
  std::vector<float> data;
  for (int i = 0; i < per; ++i) {
    for (int g = 0; g < blobs; ++g) {
      words.push_back("b" + std::to_string(g) + "_" + std::to_string(i));
      const float scale = 0.5f + rng.uniform() * 3.0f;  // lengths vary: k-means sees unit rows
      for (std::size_t d = 0; d < dim; ++d) {
        const float v = centre[static_cast<std::size_t>(g)][d] + noise * (rng.uniform() - 0.5f);
        data.push_back(v * scale);
      }
    }
  }
  io::write_vectors(path, words, data.data(), dim, dim, io::format_for_path(path));
}

std::vector<std::pair<std::string, int>> parse(const std::string& tsv) {
  std::vector<std::pair<std::string, int>> rows;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << "not word<TAB>cluster: " << line;
      continue;
    }
    rows.emplace_back(line.substr(0, tab), std::stoi(line.substr(tab + 1)));
  }
  return rows;
}

TEST(ClustersCli, RecoversWellSeparatedBlobs) {
  ScratchDir dir("clusters-blobs");
  for (const char* name : {"blobs.bin", "blobs.txt"}) {
    const std::string model = dir.file(name);
    write_blobs(model, 8, 30, 3, 0.03f);
    const auto r = run_w2v({"clusters", "-m", model, "-k", "8", "--seed", "5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse(r.out);
    ASSERT_EQ(rows.size(), 240u);
    std::map<std::string, std::set<int>> by_group;
    std::set<int> ids;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      // Model order: b0_0 b1_0 ... b7_0 b0_1 ...
      EXPECT_EQ(rows[i].first, "b" + std::to_string(i % 8) + "_" + std::to_string(i / 8));
      by_group[rows[i].first.substr(0, rows[i].first.find('_'))].insert(rows[i].second);
      ids.insert(rows[i].second);
    }
    for (const auto& [group, clusters] : by_group) {
      EXPECT_EQ(clusters.size(), 1u) << group << " is split over clusters";
    }
    EXPECT_EQ(ids.size(), 8u) << "blobs share a cluster";
    EXPECT_EQ(*ids.begin(), 0);
    EXPECT_EQ(*ids.rbegin(), 7);
  }
}

TEST(ClustersCli, SameClustersForOneAndTwoThreads) {
  ScratchDir dir("clusters-threads");
  const std::string model = dir.file("m.bin");
  write_blobs(model, 16, 150, 11, 2.5f);  // heavy noise: many rows near the borders
  const auto one = run_w2v({"clusters", "-m", model, "-k", "40", "--threads", "1", "-o",
                            dir.file("one.tsv"), "--iterations", "30"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two = run_w2v({"clusters", "-m", model, "-k", "40", "--threads", "2", "-o",
                            dir.file("two.tsv"), "--iterations", "30"});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string a = read_file(dir.file("one.tsv"));
  EXPECT_EQ(parse(a).size(), 2400u);
  EXPECT_TRUE(read_file(dir.file("two.tsv")) == a) << "1 and 2 threads differ";
  const auto other = run_w2v({"clusters", "-m", model, "-k", "40", "--seed", "2"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(other.out, a) << "another seed should start elsewhere";
}

TEST(ClustersCli, ErrorsAreClear) {
  ScratchDir dir("clusters-errors");
  const std::string model = dir.file("m.txt");
  write_blobs(model, 2, 3, 1, 0.1f);
  const auto big = run_w2v({"clusters", "-m", model, "-k", "7"});
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_THAT(big.err, HasSubstr("-k 7"));
  EXPECT_THAT(big.err, HasSubstr("(6)"));
  EXPECT_TRUE(big.out.empty());
  const auto bad = run_w2v({"clusters", "-m", model, "-k", "0", "--iterations", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("-k"));
  EXPECT_THAT(bad.err, HasSubstr("--iterations"));
  const auto same = run_w2v({"clusters", "-m", model, "-k", "2", "-o", model});
  EXPECT_EQ(same.exit_code, 2);
  const auto missing = run_w2v({"clusters", "-m", dir.file("none.bin"), "-k", "2"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("none.bin"));
  const auto help = run_w2v({"clusters", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--seed"));
}

}  // namespace
}  // namespace w2v
