using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Core.Tests.Reports;

/// <summary>
/// The diagnoses on a <c>cmf</c> cluster against FlinkSim's CMF over HTTP: the job-level reads go through CMF's Flink
/// proxy of the application, the savepoint list comes from CMF's own Savepoint resources.
/// </summary>
public class CmfReportTests
{
    private const string Env = "demo-env";
    private const string OnCmf = " --cluster " + EngineHarness.CmfCluster;

    [Fact]
    public async Task RestartLoop_OnCmfApplication_ClassifiesTheRootExceptionThroughTheProxy()
    {
        await using var h = await ReportHarness.StartAsync(cmf: true);
        var job = h.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!;
        h.Cluster.Faults.RestartLoop(job.JobId, true, RestartLoopCause.PoisonRecord);
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(20));

        var reply = await h.SayAsync("/flink restart-loop payments-fraud-detector" + OnCmf);

        Assert.True(reply.Accepted, reply.Text);
        Assert.Matches(@"^✗ Restarts: \d+ in the last 10 min", ReportHarness.Line(reply, "✗", "Restarts"));
        Assert.Contains("caused by JsonParseException", reply.Text, StringComparison.Ordinal);
        Assert.Contains("→ data: a record the job cannot handle", reply.Text, StringComparison.Ordinal);
        Assert.Contains($"`/flink cancel-job payments-fraud-detector{OnCmf}`", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointFailures_OnCmfApplication_GroupsTheReasons()
    {
        await using var h = await ReportHarness.StartAsync(cmf: true);
        var job = h.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        h.Cluster.Faults.FailCheckpoints(job.JobId, true, "Checkpoint expired before completing.");
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(40));

        var reply = await h.SayAsync("/flink checkpoint-failures orders-enricher" + OnCmf);

        Assert.True(reply.Accepted, reply.Text);
        Assert.Contains("× Checkpoint expired before completing.", ReportHarness.Line(reply, "✗", "Failure reasons"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Savepoints_OnCmf_ListsCmfsSavepointResources()
    {
        await using var h = await ReportHarness.StartAsync(cmf: true);

        var reply = await h.SayAsync("/flink savepoints orders-enricher" + OnCmf);

        Assert.True(reply.Accepted, reply.Text);
        Assert.Contains("orders-enricher-nightly", reply.Text, StringComparison.Ordinal);
        Assert.Empty(await h.Savepoints.ListAsync(EngineHarness.CmfCluster, "orders-enricher", 10, CancellationToken.None)); // CMF's catalog, not the ledger
    }
}
