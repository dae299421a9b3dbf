using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Cmf;

namespace FlinkOpsBot.Flink.Tests.Cmf;

/// <summary>The <c>cmf</c> platform against FlinkSim's CMF surface over real HTTP.</summary>
public class CmfPlatformTests
{
    private const string OrdersEnricher = "orders-enricher";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ListJobsAsync_DemoEnvironment_ListsTheApplicationsByNameWithTheirJobIds()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var jobs = await cmf.Platform.ListJobsAsync(None);

        Assert.Equal(2, jobs.Count);
        var orders = Assert.Single(jobs, j => j.Name == OrdersEnricher);
        Assert.Equal(cmf.JobId(OrdersEnricher), orders.JobId);
        Assert.Equal(JobStatus.Running, orders.Status);
        Assert.Contains(jobs, j => j.Name == "payments-fraud-detector");
    }

    [Fact]
    public async Task ListJobsAsync_UnknownEnvironment_IsEmpty()
    {
        await using var cmf = await SimulatedCmf.StartAsync(environment: "no-such-env");

        Assert.Empty(await cmf.Platform.ListJobsAsync(None));
    }

    [Fact]
    public async Task GetJobAsync_RunningApplication_ReadsVerticesThroughTheProxyUnderTheApplicationName()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);

        var job = await cmf.Platform.GetJobAsync(jobId, None);

        Assert.NotNull(job);
        Assert.Equal(OrdersEnricher, job.Name);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(4, job.Parallelism);
        Assert.All(job.Vertices, v => Assert.NotEqual(jobId, v.Id)); // the JobManager's own vertices, not the fallback
        Assert.Null(await cmf.Platform.GetJobAsync(new string('0', 32), None));
    }

    [Fact]
    public async Task GetCheckpointStatsAsync_RunningApplication_ComesFromTheJobManagerThroughTheProxy()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);

        var stats = await cmf.Platform.GetCheckpointStatsAsync(jobId, None);
        var config = await cmf.Platform.GetCheckpointConfigAsync(jobId, None);

        Assert.NotNull(stats);
        Assert.True(stats.Completed > 0, "the demo application completed checkpoints");
        Assert.NotNull(config);
        Assert.Empty(await cmf.Platform.GetExceptionsAsync(jobId, 5, None));
    }

    [Fact]
    public async Task StopThenRunJar_AnUpgradesTwoCalls_SuspendsWithASavepointAndStartsTheNewJarFromItUnderTheChosenJobId()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var oldJobId = cmf.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();

        await cmf.Platform.StopWithSavepointAsync(oldJobId, triggerId, null, None);
        await cmf.Platform.StopWithSavepointAsync(oldJobId, triggerId, null, None); // a repeat is the same operation
        var stop = await cmf.PollAsync(() => cmf.Platform.GetSavepointOperationAsync(oldJobId, triggerId, None),
            op => op.Status != SavepointOperationStatus.InProgress);

        Assert.Equal(SavepointOperationStatus.Completed, stop.Status);
        Assert.StartsWith("s3://flink-demo/savepoints/demo-env/orders-enricher", stop.Location);
        Assert.Equal("SUSPENDED", cmf.Cluster.Cmf.LifecycleState(SimulatedCmf.Environment, OrdersEnricher));

        var newJobId = JobIds.NewHex32();
        var returned = await cmf.Platform.RunJarAsync("orders-enricher-2.4.0.jar", new JarRunRequest(newJobId, 6, stop.Location, false), None);

        Assert.Equal(newJobId, returned);
        var running = await cmf.PollAsync(() => cmf.Platform.GetJobAsync(newJobId, None), j => j?.Status == JobStatus.Running);
        Assert.Equal(OrdersEnricher, running!.Name);
        Assert.Equal(6, running.Parallelism);
        var restored = await cmf.PollAsync(() => cmf.Platform.GetCheckpointStatsAsync(newJobId, None), s => s?.RestoredFrom is not null);
        Assert.Equal(stop.Location, restored!.RestoredFrom);
        var backing = cmf.Cluster.Cmf.ApplicationJob(SimulatedCmf.Environment, OrdersEnricher)!;
        Assert.EndsWith("orders-enricher-2.4.0.jar", backing.JarId);
        Assert.Null(await cmf.Platform.GetJobAsync(oldJobId, None)); // the application runs the new job now
    }

    [Fact]
    public async Task GetSavepointOperationAsync_StopOfAnotherTrigger_IsUnknown()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var op = await cmf.Platform.GetSavepointOperationAsync(cmf.JobId(OrdersEnricher), JobIds.NewHex32(), None);

        Assert.Equal(SavepointOperationStatus.Unknown, op.Status);
    }

    [Fact]
    public async Task StopWithSavepointAsync_SavepointFails_ReportsTheFailureAndTheJobKeepsRunning()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);
        cmf.Cluster.Faults.FailNextStopWithSavepoint(jobId, "Checkpoint expired before completing.");
        var triggerId = JobIds.NewHex32();

        await cmf.Platform.StopWithSavepointAsync(jobId, triggerId, null, None);
        var stop = await cmf.PollAsync(() => cmf.Platform.GetSavepointOperationAsync(jobId, triggerId, None), op => op.Status != SavepointOperationStatus.InProgress);

        Assert.Equal(SavepointOperationStatus.Failed, stop.Status);
        Assert.Contains("Checkpoint expired", stop.Failure);
        Assert.Equal(JobStatus.Running, (await cmf.Platform.GetJobAsync(jobId, None))!.Status);
    }

    [Fact]
    public async Task CancelJobAsync_RunningApplication_SuspendsStatelessly()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);

        await cmf.Platform.CancelJobAsync(jobId, None);
        var job = await cmf.PollAsync(() => cmf.Platform.GetJobAsync(jobId, None), j => j is { Status.IsGloballyTerminal: true });
        await cmf.Platform.CancelJobAsync(jobId, None); // already cancelled: nothing to do

        Assert.Equal(JobStatus.Canceled, job!.Status);
    }

    [Fact]
    public async Task TriggerSavepointAsync_ThenListAndDelete_ManagesTheApplicationsSavepointResources()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);
        var triggerId = JobIds.NewHex32();

        await cmf.Platform.TriggerSavepointAsync(jobId, triggerId, null, None);
        await cmf.Platform.TriggerSavepointAsync(jobId, triggerId, null, None); // 409: already created, fine
        var done = await cmf.PollAsync(() => cmf.Platform.GetSavepointOperationAsync(jobId, triggerId, None), op => op.Status != SavepointOperationStatus.InProgress);

        Assert.Equal(SavepointOperationStatus.Completed, done.Status);
        var savepoints = await cmf.Platform.ListSavepointsAsync(OrdersEnricher, None);
        Assert.NotNull(savepoints);
        var mine = savepoints[0];
        Assert.Equal(CmfPlatform.SavepointName(triggerId), mine.Name);
        Assert.Equal(done.Location, mine.Path);
        Assert.Equal("COMPLETED", mine.State);
        Assert.False(string.IsNullOrEmpty(mine.Uid));
        Assert.Contains(savepoints, s => s.Name == "orders-enricher-nightly");

        await cmf.Platform.DeleteSavepointAsync(OrdersEnricher, mine.Name, None);
        await cmf.Platform.DeleteSavepointAsync(OrdersEnricher, mine.Name, None); // already gone: fine

        Assert.DoesNotContain((await cmf.Platform.ListSavepointsAsync(OrdersEnricher, None))!, s => s.Name == mine.Name);
    }

    [Fact]
    public async Task TriggerSavepointAsync_SavepointFails_ReportsCmfsError()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = cmf.JobId(OrdersEnricher);
        cmf.Cluster.Cmf.FailNextSavepoint("Checkpoint expired before completing.");
        var triggerId = JobIds.NewHex32();

        await cmf.Platform.TriggerSavepointAsync(jobId, triggerId, null, None);
        var op = await cmf.PollAsync(() => cmf.Platform.GetSavepointOperationAsync(jobId, triggerId, None), o => o.Status != SavepointOperationStatus.InProgress);

        Assert.Equal(SavepointOperationStatus.Failed, op.Status);
        Assert.Contains("Checkpoint expired before completing", op.Failure);
    }

    [Fact]
    public async Task RunJarAsync_NewName_CreatesTheApplication()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var jobId = JobIds.NewHex32();

        await cmf.Platform.RunJarAsync("local:///opt/flink/usrlib/orders-enricher-2.4.0.jar",
            new JarRunRequest(jobId, 2, null, false, ["--start", "earliest"], JobName: "orders-backfill"), None);

        var job = await cmf.PollAsync(() => cmf.Platform.GetJobAsync(jobId, None), j => j?.Status == JobStatus.Running);
        Assert.Equal("orders-backfill", job!.Name);
        Assert.Contains(await cmf.Platform.ListJobsAsync(None), j => j.JobId == jobId);
    }

    [Fact]
    public async Task RunJarAsync_JobIdTaken_ThrowsCmfApiExceptionWithCmfsMessage()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        var taken = cmf.JobId("payments-fraud-detector");

        var e = await Assert.ThrowsAsync<CmfApiException>(() =>
            cmf.Platform.RunJarAsync("orders-enricher-2.4.0.jar", new JarRunRequest(taken, 1, null, false, JobName: "another-app"), None));

        Assert.Equal(422, e.StatusCode);
        Assert.Contains(taken, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public async Task ListJarsAsync_ReportsTheJarUrisTheApplicationsUse()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var jars = await cmf.Platform.ListJarsAsync(None);

        Assert.Contains(jars, j => j.Name == "orders-enricher-2.3.1.jar" && j.Id.EndsWith("orders-enricher-2.3.1.jar", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetDefaultSavepointDirectoryAsync_ApplicationsDisagree_IsNullElseTheirs()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        // The demo's two applications each have their own state.savepoints.dir and the environment sets none.
        Assert.Null(await cmf.Platform.GetDefaultSavepointDirectoryAsync(None));
    }

    [Theory]
    [InlineData("2.3.1", "CMF 2.3.1")]
    [InlineData("2.2.0", "CMF 2.2.0")]
    public async Task GetOverviewAsync_ReportsCmfsVersion(string version, string expected)
    {
        await using var cmf = await SimulatedCmf.StartAsync(o => o.CmfVersion = version);

        var overview = await cmf.Platform.GetOverviewAsync(None);

        Assert.Contains(expected, overview.FlinkVersion);
        Assert.True(overview.SlotsTotal >= 12, $"the two running applications hold 4 + 8 slots, not {overview.SlotsTotal}");
    }

    [Fact]
    public async Task StopWithSavepointAsync_ApplicationManagedByCfk_IsRefusedBeforeAnyChange()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        using var http = new HttpClient { BaseAddress = cmf.Server.BaseAddress };
        var body = """
            {"apiVersion":"cmf.confluent.io/v1","kind":"FlinkApplication",
             "metadata":{"name":"cfk-owned","annotations":{"cmf.platform.confluent.io/managed-by":"cfk"}},
             "spec":{"job":{"jarURI":"orders-enricher-2.4.0.jar","parallelism":1,"state":"running","upgradeMode":"savepoint"}}}
            """;
        using var created = await http.PostAsync(new Uri("cmf/api/v1/environments/demo-env/applications", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var job = await cmf.PollAsync(() => cmf.Platform.ListJobsAsync(None), jobs => jobs.Any(j => j.Name == "cfk-owned"));
        var jobId = job.Single(j => j.Name == "cfk-owned").JobId;
        var before = cmf.Cluster.Calls.All.Count;

        var e = await Assert.ThrowsAsync<CmfApiException>(() => cmf.Platform.StopWithSavepointAsync(jobId, JobIds.NewHex32(), null, None));

        Assert.Equal(412, e.StatusCode);
        Assert.Contains("managed by Confluent for Kubernetes", e.Message);
        Assert.Equal(before, cmf.Cluster.Calls.All.Count); // nothing was posted
    }
}
