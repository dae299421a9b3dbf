using System.Diagnostics;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>
/// <c>local --cluster-url URL</c>: the host drives a cluster that runs outside it (what the chaos harness in
/// bench/chaos needs, so the cluster outlives a killed host), as a separate process.
/// </summary>
public class LocalClusterUrlTests
{
    [Fact]
    public async Task LocalClusterUrl_ExternalFlinkSim_UpgradesTheJobThere()
    {
        await using var sim = await FlinkSimServer.StartAsync(FlinkSimOptions.Demo());
        SimCluster.SeedDemo(sim.Cluster);
        var before = sim.Cluster.Jobs.Single(j => j.Name == "orders-enricher").JobId;
        var script = Path.Combine(Path.GetTempPath(), $"flinkopsbot-{Guid.NewGuid():N}.flink");
        await File.WriteAllTextAsync(script,
            "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar --rollback-jar orders-enricher-2.3.1.jar\napprove last\n");
        try
        {
            var (exitCode, output) = await RunLocalAsync("--script", script, "--timeout", "60", "--cluster-url", sim.BaseAddress.ToString());

            Assert.True(exitCode == 0, output);
            Assert.Contains($"External cluster 'demo' at {sim.BaseAddress}", output);
            Assert.Contains("upgrade orders-enricher: Succeeded", output);
            var running = sim.Cluster.Jobs.Where(j => j.Name == "orders-enricher" && j.Status == "RUNNING").ToList();
            var job = Assert.Single(running);
            Assert.NotEqual(before, job.JobId);
            Assert.EndsWith("orders-enricher-2.4.0.jar", job.JarId, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://127.0.0.1:8081")]
    public async Task LocalClusterUrl_NotAnHttpUrl_ExitsWithUsage(string url)
    {
        var (exitCode, output) = await RunLocalAsync("--headless", "--cluster-url", url);

        Assert.Equal(2, exitCode);
        Assert.Contains("--cluster-url needs an absolute http(s) URL of a Flink REST endpoint", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static Task<(int ExitCode, string Output)> RunLocalAsync(params string[] arguments) => LocalModeProcess.RunAsync(arguments);
}
