#include "train/progress.hpp"

#include <gtest/gtest.h>

namespace w2v::train {
namespace {

TEST(Progress, HumanCountsHaveThreeDigits) {
  EXPECT_EQ(human_count(1520000), "1.52M");
  EXPECT_EQ(human_count(12345), "12.3k");
  EXPECT_EQ(human_count(999), "999");
  EXPECT_EQ(human_count(999999), "1.00M");
  EXPECT_EQ(human_count(2.5e9), "2.50G");
  EXPECT_EQ(human_count(-1), "0");
  EXPECT_EQ(clock_text(65), "1:05");
  EXPECT_EQ(clock_text(3725), "1:02:05");
}

TEST(Progress, TrainLineNeverReachesTheTerminalWidth) {
  TrainView v{0.47, 3, 5, 2.41e6, 0.0265, 0.35, 3725};
  for (int width = 1; width <= 240; ++width) {
    const std::string line = format_train_line(v, width);
    EXPECT_LT(static_cast<int>(line.size()), width) << width << ": " << line;
  }
  const std::string wide = format_train_line(v, 200);
  EXPECT_NE(wide.find("epoch 3/5 ["), std::string::npos) << wide;
  EXPECT_NE(wide.find("2.41M words/s"), std::string::npos) << wide;
  EXPECT_NE(wide.find("ETA 1:02:05"), std::string::npos) << wide;
  EXPECT_NE(wide.find("lr 0.02650"), std::string::npos) << wide;
  // 80 columns: the bar and the important fields stay.
  const std::string std80 = format_train_line(v, 80);
  EXPECT_NE(std80.find('['), std::string::npos) << std80;
  EXPECT_NE(std80.find("words/s"), std::string::npos) << std80;
  EXPECT_NE(std80.find("ETA"), std::string::npos) << std80;
  // Not a terminal: every field, no bar.
  const std::string plain = format_train_line(v, 0);
  EXPECT_EQ(plain.find('['), std::string::npos) << plain;
  EXPECT_NE(plain.find("loss 0.350"), std::string::npos) << plain;
}

TEST(Progress, BarLengthDoesNotDependOnTheNumbers) {
  TrainView a{0.01, 1, 10, 9e5, 0.05, 0.4, 9};
  TrainView b{0.99, 10, 10, 1.2e6, 0.0001, 0.31, 0};
  EXPECT_EQ(format_train_line(a, 80).size(), format_train_line(b, 80).size());
}

TEST(Progress, CountLineShowsBytesOfTheTotal) {
  CountView v{13'700'000, 54'800'000, 1'330'000, 0.5};
  const std::string line = format_count_line(v, 100);
  EXPECT_NE(line.find("counting ["), std::string::npos) << line;
  EXPECT_NE(line.find("25.0%"), std::string::npos) << line;
  EXPECT_NE(line.find("13.7/54.8 MB"), std::string::npos) << line;
  EXPECT_NE(line.find("27.4 MB/s"), std::string::npos) << line;
  v.total_bytes = 0;  // stdin: no total, no bar, no percent
  const std::string open = format_count_line(v, 100);
  EXPECT_EQ(open.find('%'), std::string::npos) << open;
  EXPECT_NE(open.find("13.7 MB"), std::string::npos) << open;
  for (int width = 1; width <= 120; ++width) {
    EXPECT_LT(static_cast<int>(format_count_line(v, width).size()), width);
  }
}

}  // namespace
}  // namespace w2v::train
