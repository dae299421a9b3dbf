using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Flink.Tests.Rest;

public class FlinkRestPlatformTests
{
    private const string OrdersEnricher = "orders-enricher";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetOverviewAsync_Cluster_ReportsVersionAndCapacity()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.FlinkVersion = "2.0.1");

        var overview = await sim.Platform.GetOverviewAsync(None);

        Assert.Equal("2.0.1", overview.FlinkVersion);
        Assert.Equal(4, overview.TaskManagers);
        Assert.Equal(32, overview.SlotsTotal);
        Assert.InRange(overview.SlotsAvailable, 0, overview.SlotsTotal - 1);
    }

    [Fact]
    public async Task ListJobsAsync_SeededCluster_ListsTheRunningDemoJobs()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var jobs = await sim.Platform.ListJobsAsync(None);

        var orders = Assert.Single(jobs, j => j.Name == OrdersEnricher);
        Assert.Equal(sim.JobId(OrdersEnricher), orders.JobId);
        Assert.Equal(JobStatus.Running, orders.Status);
        Assert.Null(orders.EndTime);
        Assert.Contains(jobs, j => j.Name == "payments-fraud-detector");
        Assert.Contains(jobs, j => j.Name == "clickstream-sessionizer");
    }

    [Fact]
    public async Task GetJobAsync_KnownJob_ReturnsDetailsWithVertices()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);

        var job = await sim.Platform.GetJobAsync(jobId, None);

        Assert.NotNull(job);
        Assert.Equal(jobId, job.JobId);
        Assert.Equal(OrdersEnricher, job.Name);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(4, job.Parallelism);
        Assert.All(job.Vertices, v => Assert.True(JobIds.IsHex32(v.Id)));
        Assert.Contains(JobStatus.Running.Value, job.StatusTimestamps.Keys);
        Assert.DoesNotContain(JobStatus.Failed.Value, job.StatusTimestamps.Keys);
    }

    [Fact]
    public async Task GetJobAsync_UnknownJob_ReturnsNull()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        Assert.Null(await sim.Platform.GetJobAsync(JobIds.NewHex32(), None));
    }

    [Fact]
    public async Task GetCheckpointStatsAsync_AfterCheckpointIntervals_CountsCompletedWithLatestPath()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        var before = await sim.Platform.GetCheckpointStatsAsync(jobId, None);

        sim.Clock.Advance(TimeSpan.FromSeconds(30)); // three checkpoint intervals
        var stats = await sim.Platform.GetCheckpointStatsAsync(jobId, None);

        Assert.NotNull(before);
        Assert.NotNull(stats);
        Assert.Equal(before.Completed + 3, stats.Completed);
        Assert.NotNull(stats.LatestCompleted);
        Assert.Equal("COMPLETED", stats.LatestCompleted.Status);
        Assert.StartsWith($"s3://flink-demo/checkpoints/{jobId}/chk-", stats.LatestCompleted.ExternalPath, StringComparison.Ordinal);
        Assert.Contains(stats.LatestCompleted, stats.History);
    }

    [Fact]
    public async Task GetCheckpointConfigAsync_RunningJob_MapsMillisecondsToTimeSpans()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var config = await sim.Platform.GetCheckpointConfigAsync(sim.JobId(OrdersEnricher), None);

        Assert.NotNull(config);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Interval);
        Assert.True(config.Timeout > TimeSpan.Zero);
    }

    [Fact]
    public async Task GetCheckpointStatsAsync_UnknownJob_ReturnsNull()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        Assert.Null(await sim.Platform.GetCheckpointStatsAsync(JobIds.NewHex32(), None));
        Assert.Null(await sim.Platform.GetCheckpointConfigAsync(JobIds.NewHex32(), None));
    }

    [Fact]
    public async Task GetExceptionsAsync_UnknownJob_ThrowsNotFoundWithTheFirstLineOnly()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = JobIds.NewHex32();

        var error = await Assert.ThrowsAsync<FlinkApiException>(() => sim.Platform.GetExceptionsAsync(jobId, 5, None));

        Assert.Equal(404, error.StatusCode);
        Assert.Contains(jobId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("org.apache.flink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDefaultSavepointDirectoryAsync_Configured_ReturnsIt()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.SavepointDirectory = "s3://prod/savepoints");

        Assert.Equal("s3://prod/savepoints", await sim.Platform.GetDefaultSavepointDirectoryAsync(None));
    }

    [Fact]
    public async Task GetDefaultSavepointDirectoryAsync_NoneConfigured_ReturnsNull()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.SavepointDirectory = null);

        Assert.Null(await sim.Platform.GetDefaultSavepointDirectoryAsync(None));
    }

    [Fact]
    public async Task ListJarsAsync_SeededCluster_ListsJarIdsAndNames()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var jars = await sim.Platform.ListJarsAsync(None);

        var jar = Assert.Single(jars, j => j.Name == "orders-enricher-2.4.0.jar");
        Assert.EndsWith("_orders-enricher-2.4.0.jar", jar.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopWithSavepointAsync_RunningJob_CompletesWithLocationAndJobFinishes()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();

        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, "s3://upgrades/orders", None);
        var running = await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var done = await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None);

        Assert.Equal(SavepointOperationStatus.InProgress, running.Status);
        Assert.Equal(SavepointOperationStatus.Completed, done.Status);
        Assert.StartsWith("s3://upgrades/orders/savepoint-", done.Location, StringComparison.Ordinal);
        Assert.Null(done.Failure);
        Assert.Equal(JobStatus.Finished, (await sim.Platform.GetJobAsync(jobId, None))?.Status);
    }

    [Fact]
    public async Task StopWithSavepointAsync_SameTriggerIdTwice_RunsOneOperation()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();

        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None);

        Assert.Equal([triggerId, triggerId], sim.Cluster.Calls.All.Where(c => c.Path == $"/jobs/{jobId}/stop").Select(c => c.IdempotencyKey));
        Assert.Equal(SavepointOperationStatus.Completed, done.Status);
        Assert.StartsWith("s3://flink-demo/savepoints/savepoint-", done.Location, StringComparison.Ordinal);
        var stats = await sim.Platform.GetCheckpointStatsAsync(jobId, None);
        Assert.Single(stats!.History, c => c.IsSavepoint);
    }

    [Fact]
    public async Task GetSavepointOperationAsync_StopFailed_ReportsOneReadableLine()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();
        sim.Cluster.Faults.FailNextStopWithSavepoint(jobId, "Checkpoint expired before completing.");

        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var failed = await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None);

        Assert.Equal(SavepointOperationStatus.Failed, failed.Status);
        Assert.Null(failed.Location);
        Assert.NotNull(failed.Failure);
        Assert.Contains("Checkpoint expired before completing.", failed.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", failed.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain("\tat ", failed.Failure, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Running, (await sim.Platform.GetJobAsync(jobId, None))?.Status);
    }

    [Fact]
    public async Task GetSavepointOperationAsync_UnknownTrigger_ReturnsUnknown()
    {
        await using var sim = await SimulatedCluster.StartAsync();

        var operation = await sim.Platform.GetSavepointOperationAsync(sim.JobId(OrdersEnricher), JobIds.NewHex32(), None);

        Assert.Equal(SavepointOperationStatus.Unknown, operation.Status);
    }

    [Fact]
    public async Task GetSavepointOperationAsync_ResultDropped_ReturnsUnknown()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();
        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));

        sim.Cluster.Faults.DropOperationResults(jobId);

        Assert.Equal(SavepointOperationStatus.Unknown, (await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None)).Status);
    }

    [Fact]
    public async Task RunJarAsync_FromSavepoint_StartsTheChosenJobIdWhichBecomesRunning()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var oldJobId = sim.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();
        await sim.Platform.StopWithSavepointAsync(oldJobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var savepoint = await sim.Platform.GetSavepointOperationAsync(oldJobId, triggerId, None);
        var jar = (await sim.Platform.ListJarsAsync(None)).Single(j => j.Name == "orders-enricher-2.4.0.jar");
        var newJobId = JobIds.NewHex32();

        var started = await sim.Platform.RunJarAsync(jar.Id, new JarRunRequest(newJobId, 4, savepoint.Location, AllowNonRestoredState: false), None);
        var starting = await sim.Platform.GetJobAsync(newJobId, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var job = await sim.Platform.GetJobAsync(newJobId, None);

        Assert.Equal(newJobId, started);
        Assert.NotEqual(JobStatus.Running, starting?.Status);
        Assert.NotNull(job);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(4, job.Parallelism);
        Assert.Equal(savepoint.Location, (await sim.Platform.GetCheckpointStatsAsync(newJobId, None))?.RestoredFrom);
    }

    [Fact]
    public async Task CancelJobAsync_RunningJob_JobEndsCanceled()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);

        await sim.Platform.CancelJobAsync(jobId, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        await sim.Platform.CancelJobAsync(jobId, None);

        Assert.Equal(JobStatus.Canceled, (await sim.Platform.GetJobAsync(jobId, None))?.Status);
    }

    [Fact]
    public async Task CancelJobAsync_JobAlreadyFinished_ThrowsConflict()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId(OrdersEnricher);
        await sim.Platform.StopWithSavepointAsync(jobId, JobIds.NewHex32(), targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<FlinkApiException>(() => sim.Platform.CancelJobAsync(jobId, None));

        Assert.Equal(409, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }
}
