namespace FlinkOpsBot.FlinkSim.Tests.Cluster;

public sealed class SimClusterTests
{
    [Fact]
    public async Task SeedDemo_EmptyCluster_DemoJarsAndRunningJobs()
    {
        await using var sim = await SimHarness.StartAsync();

        Assert.Equal(
            ["orders-enricher-2.3.1.jar", "orders-enricher-2.4.0.jar", "orders-enricher-2.5.0-faulty.jar", "payments-fraud-detector-1.8.0.jar", "clickstream-sessionizer-3.1.2.jar"],
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
}
