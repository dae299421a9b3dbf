using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Flink.Tests.Rest;

/// <summary>The issue-6 members of <see cref="IFlinkPlatform"/> on Flink REST, against FlinkSim over real HTTP.</summary>
public class FlinkRestPlatformReadTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TriggerSavepointAsync_SameTriggerIdTwice_OneSavepointThatCompletes()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        var triggerId = JobIds.NewHex32();

        await sim.Platform.TriggerSavepointAsync(jobId, triggerId, null, None);
        await sim.Platform.TriggerSavepointAsync(jobId, triggerId, null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var operation = await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None);

        Assert.Equal(SavepointOperationStatus.Completed, operation.Status);
        Assert.StartsWith("s3://flink-demo/savepoints/", operation.Location, StringComparison.Ordinal);
        Assert.Single(sim.Cluster.Mutations.All, m => m.TriggerId == triggerId);
        Assert.Equal("RUNNING", sim.Cluster.FindJob("orders-enricher")!.Status);
    }

    [Fact]
    public async Task GetVertexLoadAsync_HotDemoJob_BottleneckBusyAndSourceBackPressuredWithLag()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var loads = await sim.Platform.GetVertexLoadAsync(sim.JobId("clickstream-sessionizer"), None);

        Assert.Equal(3, loads.Count);
        var source = loads[0];
        Assert.Equal("high", source.BackpressureLevel);
        Assert.InRange(source.BackpressuredRatio!.Value, 0.5, 1);
        Assert.NotNull(source.RecordsLag);
        var busiest = loads.MaxBy(l => l.BusyTimeMsPerSecond)!;
        Assert.Equal("KeyedProcess -> Map", busiest.Name);
        Assert.InRange(busiest.BusyTimeMsPerSecond!.Value, 900, 1000);
        Assert.Null(loads[1].RecordsLag);
    }

    [Fact]
    public async Task GetVertexLoadAsync_JobRestarting_LevelsUnknownWithoutMetrics()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.RestartLoop(jobId, true);
        sim.Clock.Advance(TimeSpan.FromSeconds(3));

        var loads = await sim.Platform.GetVertexLoadAsync(jobId, None);

        Assert.All(loads, l => Assert.Equal(("unknown", (double?)null), (l.BackpressureLevel, l.BusyTimeMsPerSecond)));
    }

    [Fact]
    public async Task GetRestartCountAsync_RestartLoop_CountsRestarts_UnknownJobNull()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.RestartLoop(jobId, true);
        sim.Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(1, await sim.Platform.GetRestartCountAsync(jobId, None));
        Assert.Null(await sim.Platform.GetRestartCountAsync(JobIds.NewHex32(), None));
    }

    [Fact]
    public async Task GetJobConfigurationAsync_KnownJob_RestartStrategy_UnknownJobNull()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var config = await sim.Platform.GetJobConfigurationAsync(sim.JobId("orders-enricher"), None);

        Assert.Equal("Restart with fixed delay (1000 ms). #3 restart attempts.", config!.RestartStrategy);
        Assert.Null(await sim.Platform.GetJobConfigurationAsync(JobIds.NewHex32(), None));
    }

    [Fact]
    public async Task GetClusterConfigurationAsync_AdaptiveCluster_NamesTheScheduler()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.Scheduler = "adaptive");

        var config = await sim.Platform.GetClusterConfigurationAsync(None);

        Assert.Equal("adaptive", config["jobmanager.scheduler"]);
        Assert.Equal("fixed-delay", config["restart-strategy.type"]);
    }

    [Fact]
    public async Task GetResourceRequirementsAsync_DefaultScheduler_Null()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        Assert.Null(await sim.Platform.GetResourceRequirementsAsync(sim.JobId("orders-enricher"), None));
    }

    [Fact]
    public async Task SetResourceRequirementsAsync_DefaultScheduler_ThrowsWith500()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        var job = await sim.Platform.GetJobAsync(jobId, None);

        var error = await Assert.ThrowsAnyAsync<PlatformException>(() => sim.Platform.SetResourceRequirementsAsync(
            jobId, [.. job!.Vertices.Select(v => new ResourceRequirement(v.Id, 1, 8))], None));

        Assert.Equal(500, error.StatusCode);
    }

    [Fact]
    public async Task SetResourceRequirementsAsync_AdaptiveScheduler_RescalesInPlace()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.Scheduler = "adaptive");
        var jobId = sim.JobId("clickstream-sessionizer");
        var before = await sim.Platform.GetResourceRequirementsAsync(jobId, None);

        await sim.Platform.SetResourceRequirementsAsync(jobId, [.. before!.Select(r => r with { Upper = 9 })], None);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await sim.Platform.GetResourceRequirementsAsync(jobId, None);
        var job = await sim.Platform.GetJobAsync(jobId, None);
        var loads = await sim.Platform.GetVertexLoadAsync(jobId, None);

        Assert.All(before!, r => Assert.Equal((1, 6), (r.Lower, r.Upper)));
        Assert.All(after!, r => Assert.Equal(9, r.Upper));
        Assert.Equal((JobStatus.Running, 9), (job!.Status, job.Parallelism));
        Assert.Equal("ok", loads[0].BackpressureLevel);
        Assert.True(loads[1].BusyTimeMsPerSecond < 900, $"busy time falls after the scale-up: {loads[1].BusyTimeMsPerSecond} ms/s");
    }

    [Fact]
    public async Task GetJarPlanAsync_CompatibleAndIncompatibleVersions_VertexIdsShowIt()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jars = await sim.Platform.ListJarsAsync(None);
        string Jar(string name) => jars.Single(j => j.Name == name).Id;
        var running = await sim.Platform.GetJobAsync(sim.JobId("orders-enricher"), None);

        var compatible = await sim.Platform.GetJarPlanAsync(Jar("orders-enricher-2.4.0.jar"), 4, null, None);
        var breaking = await sim.Platform.GetJarPlanAsync(Jar("orders-enricher-3.0.0.jar"), null, null, None);

        Assert.Equal(running!.Vertices.Select(v => v.Id), compatible.Nodes.Select(n => n.Id));
        Assert.All(compatible.Nodes, n => Assert.Equal(4, n.Parallelism));
        Assert.Contains(running.Vertices, v => breaking.Nodes.All(n => n.Id != v.Id));
    }

    [Fact]
    public async Task RunJarAsync_JobName_PassedAsPipelineName()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jar = (await sim.Platform.ListJarsAsync(None)).Single(j => j.Name == "orders-enricher-2.4.0.jar");

        var jobId = await sim.Platform.RunJarAsync(jar.Id, new JarRunRequest(JobIds.NewHex32(), 2, null, false, JobName: "orders-backfill-0412"), None);

        Assert.Equal("orders-backfill-0412", (await sim.Platform.GetJobAsync(jobId, None))!.Name);
    }

    [Fact]
    public async Task GetExceptionsAsync_PoisonRecordLoop_RootCauseIsTheInnermostCause()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("payments-fraud-detector");
        sim.Cluster.Faults.RestartLoop(jobId, true, RestartLoopCause.PoisonRecord);
        sim.Clock.Advance(TimeSpan.FromSeconds(3));

        var exception = Assert.Single(await sim.Platform.GetExceptionsAsync(jobId, 10, None));

        Assert.StartsWith("IOException: Failed to deserialize consumer record", exception.ExceptionName, StringComparison.Ordinal);
        Assert.StartsWith("JsonParseException: Unexpected character", exception.RootCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckpointStatsAsync_Completed_CarryStateSize()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var stats = await sim.Platform.GetCheckpointStatsAsync(sim.JobId("orders-enricher"), None);

        Assert.All(stats!.History.Where(c => c.Status == "COMPLETED"), c => Assert.True(c.StateSizeBytes > 0));
    }

    [Fact]
    public void RootCause_NestedCauses_InnermostLine()
    {
        const string Trace = "java.lang.RuntimeException: outer\n\tat a.B.c(B.java:1)\nCaused by: java.io.IOException: middle\n\tat d.E.f(E.java:2)\n"
            + "Caused by: java.net.ConnectException: Connection refused\n\tat g.H.i(H.java:3)";

        Assert.Equal("ConnectException: Connection refused", Flink.Rest.FlinkMapping.RootCause(Trace));
        Assert.Null(Flink.Rest.FlinkMapping.RootCause("java.lang.NullPointerException: x\n\tat a.B.c(B.java:1)"));
    }
}
