using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Cmf;

namespace FlinkOpsBot.Flink.Tests.Cmf;

/// <summary>The <c>cmf</c> platform's SQL port (<see cref="ISqlPlatform"/>) against FlinkSim's CMF surface.</summary>
public class CmfSqlTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static StatementRequest Insert(string name = "orders-agg") =>
        new(name, "INSERT INTO orders_enriched SELECT * FROM orders", "demo-pool", "kafka-cat", "kafka-1", 2);

    [Fact]
    public async Task Reads_DemoEnvironment_FindEnvironmentCatalogDatabaseAndPool()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        Assert.Equal("2.3.1", await cmf.Sql.GetPlatformVersionAsync(None));
        Assert.Equal("flink-demo", (await cmf.Sql.GetEnvironmentAsync(None))!.KubernetesNamespace);
        Assert.NotNull(await cmf.Sql.GetCatalogAsync("kafka-cat", None));
        Assert.Null(await cmf.Sql.GetCatalogAsync("no-such-cat", None));
        Assert.Equal("kafka-1", (await cmf.Sql.GetDatabaseAsync("kafka-cat", "kafka-1", None))!.Name);
        Assert.Null(await cmf.Sql.GetDatabaseAsync("kafka-cat", "kafka-9", None));
        var pool = Assert.Single(await cmf.Sql.ListComputePoolsAsync(None));
        Assert.Equal("demo-pool", pool.Name);
        Assert.True(pool.IsUsable);
        Assert.Null(await cmf.Sql.GetComputePoolAsync("no-such-pool", None));
    }

    [Fact]
    public async Task CreateStatementAsync_Insert_RunsAndStopsAndResumes()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var created = await cmf.Sql.CreateStatementAsync(Insert(), None);
        var running = await cmf.PollAsync(() => cmf.Sql.GetStatementAsync("orders-agg", None), s => s?.Phase != StatementPhase.Pending);

        Assert.True(created.Matches(Insert()));
        Assert.Equal(StatementPhase.Running, running!.Phase);
        Assert.Equal("INSERT_INTO", running.SqlKind);
        Assert.False(running.IsBounded);
        Assert.Equal(2, running.Parallelism);

        var stopped = await cmf.Sql.SetStatementStoppedAsync("orders-agg", true, None);
        Assert.True(stopped!.Stopped);
        Assert.Equal(StatementPhase.Stopped, (await cmf.PollAsync(() => cmf.Sql.GetStatementAsync("orders-agg", None), s => s?.Phase == StatementPhase.Stopped))!.Phase);
        Assert.Equal(StatementPhase.Stopped, (await cmf.Sql.SetStatementStoppedAsync("orders-agg", true, None))!.Phase); // idempotent

        await cmf.Sql.SetStatementStoppedAsync("orders-agg", false, None);
        Assert.Equal(StatementPhase.Running, (await cmf.PollAsync(() => cmf.Sql.GetStatementAsync("orders-agg", None), s => s?.Phase == StatementPhase.Running))!.Phase);
        Assert.Null(await cmf.Sql.SetStatementStoppedAsync("no-such-statement", true, None));
    }

    [Fact]
    public async Task CreateStatementAsync_UnknownTable_ComesBackFailedWithTheCompileError()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var created = await cmf.Sql.CreateStatementAsync(Insert() with { Sql = "INSERT INTO orders_enriched SELECT * FROM ordrs" }, None);

        Assert.Equal(StatementPhase.Failed, created.Phase);
        Assert.Contains("'ordrs' not found", created.Detail);
    }

    [Fact]
    public async Task CreateStatementAsync_NameTaken_ThrowsWithStatus409AndCmfsMessage()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        await cmf.Sql.CreateStatementAsync(Insert(), None);

        var e = await Assert.ThrowsAsync<CmfApiException>(() => cmf.Sql.CreateStatementAsync(Insert(), None));

        Assert.Equal(409, e.StatusCode);
        Assert.Contains("orders-agg", e.Message);
    }

    [Fact]
    public async Task CreateStatementAsync_UnknownPool_ThrowsWithStatus422()
    {
        await using var cmf = await SimulatedCmf.StartAsync();

        var e = await Assert.ThrowsAsync<CmfApiException>(() => cmf.Sql.CreateStatementAsync(Insert() with { ComputePool = "no-such-pool" }, None));

        Assert.Equal(422, e.StatusCode);
        Assert.Contains("computePoolName", e.Message);
    }

    [Fact]
    public async Task GetStatementExceptionsAsync_FailedStatement_NewestFirstWithTheMessage()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        await cmf.Sql.CreateStatementAsync(Insert(), None);
        await cmf.PollAsync(() => cmf.Sql.GetStatementAsync("orders-agg", None), s => s?.Phase == StatementPhase.Running);
        cmf.Cluster.Cmf.FailStatement(SimulatedCmf.Environment, "orders-agg", "TopicAuthorizationException: Not authorized to access topics: [orders]");

        var exceptions = await cmf.Sql.GetStatementExceptionsAsync("orders-agg", None);

        Assert.Contains("Not authorized", Assert.Single(exceptions).Message);
        Assert.Empty(await cmf.Sql.GetStatementExceptionsAsync("no-such-statement", None));
        Assert.Equal(StatementPhase.Failed, (await cmf.Sql.GetStatementAsync("orders-agg", None))!.Phase);
    }

    [Fact]
    public async Task DeleteStatementAsync_ThenAgain_IsGoneAndSucceeds()
    {
        await using var cmf = await SimulatedCmf.StartAsync();
        await cmf.Sql.CreateStatementAsync(Insert(), None);

        await cmf.Sql.DeleteStatementAsync("orders-agg", None);
        await cmf.Sql.DeleteStatementAsync("orders-agg", None);

        Assert.Null(await cmf.Sql.GetStatementAsync("orders-agg", None));
    }
}
