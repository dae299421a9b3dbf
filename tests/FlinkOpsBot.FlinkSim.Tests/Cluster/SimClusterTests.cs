namespace FlinkOpsBot.FlinkSim.Tests.Cluster;

public sealed class SimClusterTests
{
    [Fact]
    public async Task SeedDemo_EmptyCluster_DemoJarsAndRunningJobs()
    {
        await using var sim = await SimHarness.StartAsync();

        Assert.Equal(
            [
                "orders-enricher-2.3.1.jar", "orders-enricher-2.4.0.jar", "orders-enricher-2.5.0-faulty.jar", "orders-enricher-3.0.0.jar",
                "payments-fraud-detector-1.8.0.jar", "payments-fraud-detector-1.8.1.jar", "clickstream-sessionizer-3.1.2.jar",
            ],
            sim.Cluster.Jars.Select(jar => jar.FileName));
        Assert.Equal(JarBehavior.FailsAfterStart, sim.Jar("orders-enricher-2.5.0-faulty.jar").Behavior);
        Assert.Equal(
            [("orders-enricher", 4), ("payments-fraud-detector", 8), ("clickstream-sessionizer", 6)],
            sim.Cluster.Jobs.Select(job => (job.Name, job.Parallelism)));
        Assert.All(sim.Cluster.Jobs, job => Assert.Equal(("RUNNING", 10L), (job.Status, job.CompletedCheckpoints)));
        Assert.Equal(sim.Jar("orders-enricher-2.3.1.jar").Id, sim.Orders.JarId);
    }

    [Fact]
    public async Task AddJar_FileName_IdIsUuidUnderscoreFileNameAndJobNameDropsVersion()
    {
        await using var sim = await SimHarness.StartAsync();

        var jar = sim.Cluster.AddJar("fraud-rules-engine-10.2.0-rc1.jar");

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_fraud-rules-engine-10.2.0-rc1.jar$", jar.Id);
        Assert.Equal(("fraud-rules-engine", "com.example.flink.FraudRulesEngineJob"), (jar.JobName, jar.EntryClass));
    }

    [Fact]
    public async Task AddRunningJob_UnknownJar_Throws()
    {
        await using var sim = await SimHarness.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => sim.Cluster.AddRunningJob("x", "missing.jar"));

        Assert.Equal("jarFileName", error.ParamName);
    }

    [Fact]
    public async Task FindJob_ByName_PrefersTheJobThatHasNotTerminatedElseTheNewest()
    {
        await using var sim = await SimHarness.StartAsync();
        var old = sim.Orders;
        var location = await sim.StopWithSavepointAsync(old);
        Assert.Same(old, sim.Cluster.FindJob("orders-enricher"));

        var upgraded = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        var byName = sim.Cluster.FindJob("orders-enricher");

        Assert.Same(upgraded, byName);
        Assert.Same(old, sim.Cluster.FindJob(old.JobId.ToUpperInvariant()));
        Assert.Null(sim.Cluster.FindJob("no-such-job"));
    }

    [Fact]
    public async Task SeedChaosJobs_Three_JarsAndRunningJobsWhoseUpgradeKeepsTheirName()
    {
        await using var sim = await SimHarness.StartAsync(options => options.TotalSlots += 3);

        SimCluster.SeedChaosJobs(sim.Cluster, 3);

        Assert.Equal(["chaos-job-1.0.0.jar", "chaos-job-1.1.0.jar"], sim.Cluster.Jars.Skip(7).Select(jar => jar.FileName));
        var chaos = sim.Cluster.Jobs.Skip(3).ToList();
        Assert.Equal(["chaos-job-01", "chaos-job-02", "chaos-job-03"], chaos.Select(job => job.Name));
        Assert.All(chaos, job => Assert.Equal(("RUNNING", 1, sim.Jar("chaos-job-1.0.0.jar").Id), (job.Status, job.Parallelism, job.JarId)));

        var location = await sim.StopWithSavepointAsync(chaos[1]);
        var upgraded = await sim.RunJarAsync("chaos-job-1.1.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal(("chaos-job-02", "RUNNING"), (upgraded.Name, upgraded.Status));
        Assert.Same(upgraded, sim.Cluster.FindJob("chaos-job-02"));
        Assert.Equal("chaos-job", (await sim.RunJarAsync("chaos-job-1.1.0.jar")).Name);
    }

    [Theory]
    [InlineData(new string[0], "http://127.0.0.1:8081", false, 0)]
    [InlineData(new[] { "--admin", "--extra-jobs", "20" }, "http://127.0.0.1:8081", true, 20)]
    [InlineData(new[] { "--urls=http://0.0.0.0:9000", "--extra-jobs=3" }, "http://0.0.0.0:9000", false, 3)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1", "--admin" }, "http://127.0.0.1:1", true, 0)]
    public void SimCommandLine_Valid_Parsed(string[] args, string urls, bool admin, int extraJobs)
    {
        var parsed = SimCommandLine.Parse(args, out var error);

        Assert.Null(error);
        Assert.Equal(new SimCommandLine(urls, admin, extraJobs), parsed);
    }

    [Fact]
    public void SimCommandLine_AdaptiveScheduler_Parsed()
    {
        Assert.Equal("adaptive", SimCommandLine.Parse(["--scheduler", "adaptive"], out _)!.Scheduler);
        Assert.Null(SimCommandLine.Parse(["--scheduler=reactive"], out var error));
        Assert.StartsWith("--scheduler needs default or adaptive", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--extra-jobs", "many" }, "--extra-jobs needs a number of jobs from 0 to 10000")]
    [InlineData(new[] { "--extra-jobs" }, "--extra-jobs needs a number")]
    [InlineData(new[] { "--extra-jobs", "-1" }, "--extra-jobs needs a number")]
    [InlineData(new[] { "--admn" }, "unknown argument '--admn'")]
    [InlineData(new[] { "--urls" }, "--urls needs a URL")]
    public void SimCommandLine_Invalid_OneLineErrorWithUsage(string[] args, string expected)
    {
        Assert.Null(SimCommandLine.Parse(args, out var error));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.EndsWith(SimCommandLine.Usage, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }
}
