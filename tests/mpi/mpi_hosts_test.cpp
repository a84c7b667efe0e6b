// Two ranks on two "hosts" (the MPI build only): two network namespaces on this machine joined by
// a veth pair, each with its own address and host name, Open MPI's TCP transport and nothing else
// (--mca btl tcp,self), mpirun --host with both addresses, and a launch agent that starts Open
// MPI's daemon inside the other namespace where a cluster would use ssh. So the inter-node path
// (TCP between ranks, the daemons' out-of-band channel) runs, not shared memory. The namespaces
// need root (CI runs as root); when they cannot be made the test FAILS with the system's error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::describe;
using testing::make_corpus;
using testing::read_file;
using testing::run_command;
using testing::RunOptions;
using testing::RunResult;
using testing::ScratchDir;
using testing::write_file;

RunResult sh(const std::string& command, double timeout = 120) {
  RunOptions opt;
  opt.timeout_seconds = timeout;
  return run_command({"/bin/sh", "-c", command}, opt);
}

// Two namespaces "hosts" A and B, removed (with their veth pair) on destruction.
class TwoHosts {
 public:
  TwoHosts() {
    const std::string id = std::to_string(::getpid() % 100000);
    ns_ = {"w2vh" + id + "a", "w2vh" + id + "b"};
    const std::string net = "10.213." + std::to_string(::getpid() % 250);
    subnet_ = net + ".0/24";
    ip_ = {net + ".1", net + ".2"};
    const std::string va = "w2v" + id + "a", vb = "w2v" + id + "b";
    const std::string script =
        "set -e; ip netns add " + ns_[0] + "; ip netns add " + ns_[1] + "; ip link add " + va +
        " type veth peer name " + vb + "; ip link set " + va + " netns " + ns_[0] +
        "; ip link set " + vb + " netns " + ns_[1] + "; ip -n " + ns_[0] + " addr add " + ip_[0] +
        "/24 dev " + va + "; ip -n " + ns_[1] + " addr add " + ip_[1] + "/24 dev " + vb +
        "; for n in " + ns_[0] + " " + ns_[1] + "; do ip -n $n link set lo up; done; ip -n " +
        ns_[0] + " link set " + va + " up; ip -n " + ns_[1] + " link set " + vb + " up";
    const RunResult r = sh(script, 30);
    if (r.exit_code != 0) error_ = "could not create two network namespaces:\n" + describe(r);
  }
  ~TwoHosts() { sh("ip netns del " + ns_[0] + "; ip netns del " + ns_[1] + "; true", 30); }
  TwoHosts(const TwoHosts&) = delete;
  TwoHosts& operator=(const TwoHosts&) = delete;

  const std::string& error() const { return error_; }

  // Open MPI's launch agent (plm_rsh_agent): "AGENT HOST COMMAND..." runs COMMAND in HOST's
  // namespace under HOST's own host name, as ssh would on another machine.
  std::string write_agent(const ScratchDir& dir) const {
    const std::string path = dir.file("netns-agent.sh");
    write_file(path, "#!/bin/sh\nhost=$1; shift\ncase $host in\n  " + ip_[0] + ") ns=" + ns_[0] +
                         " ;;\n  " + ip_[1] + ") ns=" + ns_[1] +
                         " ;;\n  *) echo \"netns-agent: unknown host $host\" >&2; exit 1 ;;\nesac\n"
                         "exec ip netns exec \"$ns\" unshare --uts sh -c 'hostname \"$0\"; exec "
                         "sh -c \"$*\"' \"$ns\" \"$@\"\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }

  // mpirun started inside host A, one rank on each host, TCP only; then `program`.
  std::vector<std::string> mpirun(const std::string& agent,
                                  const std::vector<std::string>& program) const {
    std::vector<std::string> argv{"/bin/sh",
                                  "-c",
                                  "exec ip netns exec " + ns_[0] +
                                      " unshare --uts sh -c 'hostname " + ns_[0] +
                                      "; exec \"$@\"' sh \"$@\"",
                                  "sh",
                                  W2V_MPIRUN,
                                  "--allow-run-as-root",
                                  "--host",
                                  ip_[0] + "," + ip_[1],
                                  "-np",
                                  "2",
                                  "--mca",
                                  "plm_rsh_agent",
                                  agent,
                                  "--mca",
                                  "btl",
                                  "tcp,self",
                                  "--mca",
                                  "oob_tcp_if_include",
                                  subnet_,
                                  "--mca",
                                  "btl_tcp_if_include",
                                  subnet_};
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
  }
  const std::string& ns(int i) const { return ns_[i]; }
  const std::string& ip(int i) const { return ip_[i]; }

 private:
  std::vector<std::string> ns_, ip_;
  std::string subnet_, error_;
};

std::vector<std::string> local_mpirun() {
  return {W2V_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", "2"};
}

TEST(MpiHosts, TwoHostsOverTcpTrainAsTwoLocalRanksDo) {
  const TwoHosts hosts;
  ASSERT_TRUE(hosts.error().empty()) << hosts.error();
  const ScratchDir dir("mpi-hosts");
  const std::string agent = hosts.write_agent(dir);
  write_file(dir.file("corpus.txt"), make_corpus(6000, 9, 700, 51));
  const auto train = [&](const std::string& name) {
    return std::vector<std::string>{W2V_BINARY,
                                    "train",
                                    dir.file("corpus.txt"),
                                    "-o",
                                    dir.file(name + ".bin"),
                                    "--save-vocab",
                                    dir.file(name + ".vocab"),
                                    "--threads",
                                    "1",
                                    "--epochs",
                                    "2",
                                    "--min-count",
                                    "2",
                                    "--seed",
                                    "7",
                                    "--sync-words",
                                    "4000"};
  };
  // Each rank reports the host it ran on; one per host.
  const RunResult names = run_command(hosts.mpirun(agent, {"hostname"}));
  ASSERT_EQ(names.exit_code, 0) << describe(names);
  EXPECT_NE(names.out.find(hosts.ns(0)), std::string::npos) << names.out;
  EXPECT_NE(names.out.find(hosts.ns(1)), std::string::npos) << names.out;

  const RunResult remote = run_command(hosts.mpirun(agent, train("hosts")));
  ASSERT_EQ(remote.exit_code, 0) << describe(remote);
  auto local_argv = local_mpirun();
  const auto t = train("local");
  local_argv.insert(local_argv.end(), t.begin(), t.end());
  const RunResult local = run_command(local_argv);
  ASSERT_EQ(local.exit_code, 0) << describe(local);
  // The sync thread applies the other rank's changes while training goes on, so neither the
  // model nor the number of synchronisations (5 or 6 here) is the same from run to run, even on
  // one machine. What must hold: the merged vocabulary is the same, and the ranks did exchange
  // their changes over TCP several times.
  EXPECT_EQ(read_file(dir.file("hosts.vocab")), read_file(dir.file("local.vocab")));
  const std::regex syncs("synchronisation: ([0-9]+) times");
  std::smatch mr, ml;
  ASSERT_TRUE(std::regex_search(remote.err, mr, syncs)) << remote.err;
  ASSERT_TRUE(std::regex_search(local.err, ml, syncs)) << local.err;
  EXPECT_GE(std::stoi(mr[1]), 3) << remote.err;
  EXPECT_GE(std::stoi(ml[1]), 3) << local.err;
  EXPECT_NE(remote.err.find("synchronising 2 ranks"), std::string::npos) << remote.err;
  EXPECT_TRUE(std::filesystem::file_size(dir.file("hosts.bin")) ==
              std::filesystem::file_size(dir.file("local.bin")));
}

TEST(MpiHosts, AKilledRankOnTheOtherHostEndsTheJobWithoutOutput) {
  const TwoHosts hosts;
  ASSERT_TRUE(hosts.error().empty()) << hosts.error();
  const ScratchDir dir("mpi-hosts-kill");
  const std::string agent = hosts.write_agent(dir);
  write_file(dir.file("long.txt"), make_corpus(20000, 12, 2000, 61));
  write_file(dir.file("killed.bin"), "earlier output");
  // Rank 1 (host B) is killed with SIGKILL once it is training.
  const std::string script =
      std::string("if [ \"$OMPI_COMM_WORLD_RANK\" = 1 ]; then (sleep 2; kill -9 $$) & fi; exec ") +
      W2V_BINARY + " train " + dir.file("long.txt") + " -o " + dir.file("killed.bin") +
      " --threads 1 --epochs 100000 -q";
  RunOptions opt;
  opt.timeout_seconds = 120;
  const RunResult r = run_command(hosts.mpirun(agent, {"sh", "-c", script}), opt);
  EXPECT_NE(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.term_signal, 0) << "mpirun was killed by the test's timeout\n" << describe(r);
  // mpirun names the node by the address it was given in --host.
  EXPECT_NE(r.err.find("process rank 1 "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("on node " + hosts.ip(1) + " exited on signal 9"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_file(dir.file("killed.bin")), "earlier output");
}

}  // namespace
}  // namespace w2v
