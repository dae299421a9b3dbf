using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The deploy recipe (cookbook 1.1) end to end against FlinkSim over HTTP.</summary>
public class DeployRecipeTests
{
    [Fact]
    public async Task Deploy_HealthyJar_RunsTheNewJobWithTheChosenJobIdAndArguments()
    {
        await using var h = await EngineHarness.StartAsync();
        var before = h.Sim.Cluster.Jobs.Select(j => j.JobId).ToList();

        var run = await h.StartUpgradeAsync("/flink deploy orders-canary --jar orders-enricher-2.4.0.jar --parallelism 2 --args \"--env canary --topic orders\"");
        Assert.Null(run.JobId);
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.All(done.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var job = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", job.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", job.JarId);
        Assert.Equal(2, job.Parallelism);
        Assert.Equal(["--env", "canary", "--topic", "orders"], job.ProgramArgs);
        Assert.Null(job.RestoredFrom);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.Contains("/run", StringComparison.Ordinal)));
        Assert.All(before, id => Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(id)!.Status));
        Assert.Contains("Program arguments: --env canary --topic orders", done.Plan!.Facts);
        var record = await h.Ledger.GetCurrentAsync("demo", "orders-canary", CancellationToken.None);
        Assert.Equal(job.JobId, record!.JobId);
    }

    [Fact]
    public async Task Deploy_FaultyJar_RollsBackByCancellingTheNewJob()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink deploy orders-canary --jar orders-enricher-2.5.0-faulty.jar --parallelism 2");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        var job = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.NotEqual("RUNNING", job.Status);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob("orders-enricher")!.Status);
        Assert.Null(await h.Ledger.GetCurrentAsync("demo", "orders-canary", CancellationToken.None));
    }

    [Fact]
    public async Task Deploy_NameAlreadyRunning_FailsPreconditionsAndSubmitsNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var running = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync("/flink deploy orders-enricher --jar orders-enricher-2.4.0.jar");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var nameFree = Assert.Single(done.Preconditions, c => c.Id == "name-free");
        Assert.Equal(CheckOutcome.Fail, nameFree.Outcome);
        Assert.Contains(running.JobId, nameFree.Evidence);
        Assert.Equal(0, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.Contains("/run", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deploy_MoreParallelismThanFreeSlots_FailsWithTheSlotCounts()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink deploy orders-canary --jar orders-enricher-2.4.0.jar --parallelism 30");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var slots = Assert.Single(done.Preconditions, c => c.Id == "slots-free");
        Assert.Equal(CheckOutcome.Fail, slots.Outcome);
        Assert.Contains("slots free", slots.Evidence);
    }

    [Fact]
    public async Task Deploy_FromASavepoint_RestoresFromIt()
    {
        await using var h = await EngineHarness.StartAsync();
        var stop = await h.StartUpgradeAsync("/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        var upgraded = await h.ApproveAndFinishAsync(stop.Id);
        var savepoint = upgraded.Vars[RunVars.SavepointPath];

        var run = await h.StartUpgradeAsync($"/flink deploy orders-replay --jar orders-enricher-2.4.0.jar --parallelism 2 --savepoint {savepoint}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(savepoint, h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.RestoredFrom);
    }
}
