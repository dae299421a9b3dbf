using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The sql-deploy recipe end to end against FlinkSim's CMF surface over HTTP, on the harness's <c>demo-cmf</c> cluster.</summary>
public class SqlDeployRecipeTests
{
    private const string Env = "demo-env";
    private const string Insert = "INSERT INTO orders_enriched SELECT * FROM orders";

    private static string Deploy(string name, string sql, string extra = "") =>
        $"/flink sql-deploy {name} --sql \"{sql}\" --catalog kafka-cat --database kafka-1 --cluster {EngineHarness.CmfCluster}{extra}";

    [Fact]
    public async Task SqlDeploy_Insert_CreatesTheStatementAndSucceedsOnceItRuns()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Deploy("orders-agg", Insert, " --parallelism 2"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.All(done.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        Assert.Contains(done.Preconditions, c => c.Id == "compute-pool-exists" && c.Evidence.StartsWith("demo-pool: RUNNING", StringComparison.Ordinal));
        Assert.Null(done.JobId);
        var statement = await ((ISqlPlatform)h.CmfPlatform!).GetStatementAsync("orders-agg", CancellationToken.None);
        Assert.Equal(StatementPhase.Running, statement!.Phase);
        Assert.Equal(2, statement.Parallelism);
        Assert.Equal("demo-pool", statement.ComputePool);
        Assert.Contains("orders-agg is RUNNING (INSERT_INTO, unbounded) on pool demo-pool", done.Summary);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.EndsWith($"/environments/{Env}/statements", StringComparison.Ordinal)));
        Assert.All(done.Rollback, s => Assert.Equal(StepStatus.Pending, s.Status));
    }

    [Fact]
    public async Task SqlDeploy_UnknownTable_EndsWithTheCompileErrorAndNothingRunning()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Deploy("orders-agg", "INSERT INTO orders_enriched SELECT * FROM ordrs"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        Assert.Equal(StepStatus.Failed, done.Procedure[0].Status);
        Assert.Contains("Object 'ordrs' not found", done.Procedure[0].Detail);
        Assert.Contains("Object 'ordrs' not found", done.Summary);
        Assert.StartsWith("Rolled back: nothing runs (orders-agg is FAILED)", done.Summary, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Skipped, done.Rollback[0].Status); // a FAILED statement runs nothing: kept for its diagnosis
        Assert.Equal(StatementPhase.Failed, (await ((ISqlPlatform)h.CmfPlatform!).GetStatementAsync("orders-agg", CancellationToken.None))!.Phase);
    }

    [Fact]
    public async Task SqlDeploy_StatementFailsDuringValidation_RollsBack()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var run = await h.StartUpgradeAsync(Deploy("orders-agg", Insert));
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new FlinkOpsBot.Core.Commands.ChatAction(run.Id, FlinkOpsBot.Core.Approvals.GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        await h.DriveAsync(run.Id, r => r.State == RunState.Validating);

        h.Sim.Cluster.Cmf.FailStatement(Env, "orders-agg", "TopicAuthorizationException: Not authorized to access topics: [orders]");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        Assert.Contains(done.Validations, v => v.Outcome == CheckOutcome.Fail && v.Evidence.Contains("Not authorized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SqlDeploy_NameTakenAndUnknownPool_PreconditionsFailWithEvidence()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        await ((ISqlPlatform)h.CmfPlatform!).CreateStatementAsync(new StatementRequest("orders-agg", Insert, "demo-pool", "kafka-cat", "kafka-1", null), CancellationToken.None);

        var run = await h.StartUpgradeAsync(Deploy("orders-agg", Insert, " --compute-pool big-pool"));
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Contains(done.Preconditions, c => c.Id == "statement-name-free" && c.Outcome == CheckOutcome.Fail && c.Evidence.Contains("statement orders-agg exists", StringComparison.Ordinal));
        Assert.Contains(done.Preconditions, c => c.Id == "compute-pool-exists" && c.Outcome == CheckOutcome.Fail && c.Evidence.Contains("demo-pool", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SqlDeploy_OnAFlinkRestCluster_IsRefusedNamingTheCmfCluster()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var reply = await h.SayAsync($"/flink sql-deploy orders-agg --sql \"{Insert}\" --cluster demo");

        Assert.False(reply.Accepted);
        Assert.Contains("--cluster demo-cmf", reply.Text);
    }

    [Fact]
    public async Task StopStatementStep_RunningStatement_StopsItAndWaitsForStopped()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var sql = (ISqlPlatform)h.CmfPlatform!;
        await sql.CreateStatementAsync(new StatementRequest("orders-agg", Insert, "demo-pool", "kafka-cat", "kafka-1", null), CancellationToken.None);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var run = new Run
        {
            Id = RunId.New(), RecipeId = "sql-deploy", Cluster = EngineHarness.CmfCluster, JobName = "orders-agg", Inputs = [],
            Requester = EngineHarness.Ana, Origin = EngineHarness.Channel, CreatedAt = h.Clock.GetUtcNow(),
        };
        var step = new StepRecord { Kind = "stop-statement", Title = "stop" };
        var context = new StepContext(run, step, "rollback", 0, h.Clusters.Find(EngineHarness.CmfCluster)!, h.CmfPlatform!, h.Clock);

        StepResult result;
        var calls = 0;
        do
        {
            result = await StepLibrary.BuiltIn["stop-statement"].ExecuteAsync(context, CancellationToken.None);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        while (result is StepResult.Wait && ++calls < 60);

        Assert.IsType<StepResult.Done>(result);
        Assert.Equal(StatementPhase.Stopped, (await sql.GetStatementAsync("orders-agg", CancellationToken.None))!.Phase);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "PUT"));
    }

    [Fact]
    public async Task CreateStatementStep_ResumedAfterItsRequestGotThrough_TakesTheIdenticalStatementAsItsOwn()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var run = new Run
        {
            Id = RunId.New(), RecipeId = "sql-deploy", Cluster = EngineHarness.CmfCluster, JobName = "orders-agg",
            Inputs = new() { ["sql"] = Insert, ["compute-pool"] = "demo-pool", ["catalog"] = "kafka-cat", ["database"] = "kafka-1" },
            Requester = EngineHarness.Ana, Origin = EngineHarness.Channel, CreatedAt = h.Clock.GetUtcNow(),
        };
        var context = new StepContext(run, new StepRecord { Kind = "create-statement", Title = "create" }, "procedure", 0,
            h.Clusters.Find(EngineHarness.CmfCluster)!, h.CmfPlatform!, h.Clock);
        var step = StepLibrary.BuiltIn["create-statement"];

        Assert.IsType<StepResult.Wait>(await step.ExecuteAsync(context, CancellationToken.None)); // the intent is recorded first
        await ((ISqlPlatform)h.CmfPlatform!).CreateStatementAsync(SqlStepContext.Request(run)!, CancellationToken.None); // the request got through; its answer was lost
        var resumed = await step.ExecuteAsync(context, CancellationToken.None);

        var done = Assert.IsType<StepResult.Done>(resumed);
        Assert.Contains("already created by this run", done.Detail);
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.EndsWith("/statements", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateStatementStep_SameNameOtherSql_FailsAndLeavesItAlone()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var sql = (ISqlPlatform)h.CmfPlatform!;
        await sql.CreateStatementAsync(new StatementRequest("orders-agg", "INSERT INTO orders_enriched SELECT * FROM payments", "demo-pool", "kafka-cat", "kafka-1", null),
            CancellationToken.None);
        var run = new Run
        {
            Id = RunId.New(), RecipeId = "sql-deploy", Cluster = EngineHarness.CmfCluster, JobName = "orders-agg",
            Inputs = new() { ["sql"] = Insert, ["compute-pool"] = "demo-pool", ["catalog"] = "kafka-cat", ["database"] = "kafka-1" },
            Requester = EngineHarness.Ana, Origin = EngineHarness.Channel, CreatedAt = h.Clock.GetUtcNow(),
        };
        var context = new StepContext(run, new StepRecord { Kind = "create-statement", Title = "create" }, "procedure", 0,
            h.Clusters.Find(EngineHarness.CmfCluster)!, h.CmfPlatform!, h.Clock);
        var step = StepLibrary.BuiltIn["create-statement"];

        await step.ExecuteAsync(context, CancellationToken.None);
        var result = await step.ExecuteAsync(context, CancellationToken.None);

        var failed = Assert.IsType<StepResult.Failed>(result);
        Assert.Contains("already exists with another spec", failed.Detail);
        Assert.Contains("FROM payments", (await sql.GetStatementAsync("orders-agg", CancellationToken.None))!.Sql);
    }
}
