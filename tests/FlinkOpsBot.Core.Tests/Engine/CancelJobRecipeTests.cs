using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The cancel-job recipe (restart-loop mitigation) end to end against FlinkSim over HTTP.</summary>
public class CancelJobRecipeTests
{
    [Fact]
    public async Task CancelJob_RunningJob_EndsCanceledAndShowsTheWayBack()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("payments-fraud-detector")!;

        var run = await h.StartUpgradeAsync("/flink cancel-job payments-fraud-detector --reason \"poison message loop\"");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal("CANCELED", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "PATCH" && c.Path.Contains(job.JobId, StringComparison.Ordinal)));
        var wayBack = Assert.Single(h.Chat.Updates[^1].Card.Facts, f => f.Label == "Way back");
        Assert.Contains("/flink resume payments-fraud-detector --from s3://", wayBack.Value);
        Assert.Equal(CheckOutcome.Pass, Assert.Single(done.Validations).Outcome);
        Assert.Empty(done.Rollback);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob("orders-enricher")!.Status);
    }

    [Fact]
    public async Task CancelJob_JobEndedBeforeTheGate_FailsTheRecheckAndCancelsNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("payments-fraud-detector")!;
        var run = await h.StartUpgradeAsync("/flink cancel-job payments-fraud-detector");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        await h.Platform.CancelJobAsync(job.JobId, CancellationToken.None);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Contains("nothing to cancel", done.Summary);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "PATCH"));
    }
}
