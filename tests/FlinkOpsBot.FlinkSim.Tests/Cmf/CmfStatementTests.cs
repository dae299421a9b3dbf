using System.Net;
using System.Text.Json.Nodes;
using static FlinkOpsBot.FlinkSim.Tests.Cmf.CmfHarness;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>CMF statements, compute pools and Kafka catalogs over real HTTP.</summary>
public sealed class CmfStatementTests
{
    private const string Statements = $"{Api}/environments/{Env}/statements";
    private const string Route = "/cmf/api/v1/environments/{envName}/statements";

    [Fact]
    public async Task Insert_GoesPendingThenRunning_StopsAndResumes()
    {
        await using var sim = await StartAsync();

        var created = await sim.CallAsync(HttpMethod.Post, Statements,
            Statement("enrich-orders", "INSERT INTO orders_enriched SELECT o.*, p.amount FROM orders o JOIN payments p ON o.id = p.order_id;"),
            Route, HttpStatusCode.OK);
        Assert.Equal("PENDING", (string?)created["status"]!["phase"]);
        Assert.Equal("INSERT_INTO", (string?)created["status"]!["traits"]!["sqlKind"]);
        Assert.False((bool)created["status"]!["traits"]!["isBounded"]!);
        sim.Advance(sim.Options.JobStartDuration);
        Assert.Equal("RUNNING", await PhaseAsync(sim, "enrich-orders"));

        var body = (await sim.GetAsync($"{Statements}/enrich-orders", Route + "/{stmtName}")).AsObject();
        body["spec"]!["stopped"] = true;
        var (status, text) = await sim.SendRawAsync(HttpMethod.Put, $"{Statements}/enrich-orders", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(text);
        Assert.Equal("STOPPED", await PhaseAsync(sim, "enrich-orders"));

        body["spec"]!["stopped"] = false;
        body["spec"]!["parallelism"] = 3;
        await sim.SendRawAsync(HttpMethod.Put, $"{Statements}/enrich-orders", body.ToJsonString());
        Assert.Equal("PENDING", await PhaseAsync(sim, "enrich-orders"));
        sim.Advance(sim.Options.JobStartDuration);
        var resumed = await sim.GetAsync($"{Statements}/enrich-orders", Route + "/{stmtName}");
        Assert.Equal("RUNNING", (string?)resumed["status"]!["phase"]);
        Assert.Equal(3, (int)resumed["spec"]!["parallelism"]!);
    }

    [Fact]
    public async Task BoundedSelect_Completes()
    {
        await using var sim = await StartAsync();

        await sim.CallAsync(HttpMethod.Post, Statements, Statement("peek-orders", "SELECT * FROM orders LIMIT 10"), Route, HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        var statement = await sim.GetAsync($"{Statements}/peek-orders", Route + "/{stmtName}");
        Assert.Equal("COMPLETED", (string?)statement["status"]!["phase"]);
        Assert.True((bool)statement["status"]!["traits"]!["isBounded"]!);
    }

    [Theory]
    [InlineData("SELEKT * FROM orders", "SQL parse failed. Encountered \"SELEKT\" at line 1, column 1.")]
    [InlineData("INSERT INTO orders_enriched SELECT * FROM refunds", "Object 'refunds' not found within 'kafka-cat'.'kafka-1'")]
    [InlineData("INSERT INTO nowhere SELECT * FROM orders", "Object 'nowhere' not found within 'kafka-cat'.'kafka-1'")]
    public async Task BadSql_IsCreatedFailedWithDetail(string sql, string detail)
    {
        await using var sim = await StartAsync();

        var statement = await sim.CallAsync(HttpMethod.Post, Statements, Statement("bad-sql", sql), Route, HttpStatusCode.OK);

        Assert.Equal("FAILED", (string?)statement["status"]!["phase"]);
        Assert.Contains(detail, (string?)statement["status"]!["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INSERT INTO orders_enriched (id, year) SELECT id, EXTRACT(YEAR FROM ts) FROM orders", "INSERT_INTO", "RUNNING")]
    [InlineData("SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTES)) GROUP BY window_start", "SELECT", "RUNNING")]
    [InlineData("SELECT * FROM orders WHERE id IN (SELECT order_id FROM payments) LIMIT 5", "SELECT", "COMPLETED")]
    [InlineData("INSERT INTO clicks VALUES (1, 'home')", "INSERT_INTO", "COMPLETED")]
    [InlineData("SELECT TRIM(BOTH ' ' FROM 'x')", "SELECT", "COMPLETED")]
    public async Task RealisticSql_CompilesAndRuns(string sql, string kind, string phase)
    {
        await using var sim = await StartAsync();

        var created = await sim.CallAsync(HttpMethod.Post, Statements, Statement("realistic", sql), Route, HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal(kind, (string?)created["status"]!["traits"]!["sqlKind"]);
        Assert.Equal(phase, await PhaseAsync(sim, "realistic"));
    }

    [Fact]
    public async Task CreateTable_CompletesAndMakesTheTableUsable()
    {
        await using var sim = await StartAsync();

        await sim.CallAsync(HttpMethod.Post, Statements, Statement("ddl-refunds", "CREATE TABLE refunds (id BIGINT, amount DECIMAL(10, 2))"), Route, HttpStatusCode.OK);
        var insert = await sim.CallAsync(HttpMethod.Post, Statements, Statement("refunds-copy", "INSERT INTO refunds SELECT id, amount FROM payments"), Route, HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal("COMPLETED", await PhaseAsync(sim, "ddl-refunds"));
        Assert.Equal("PENDING", (string?)insert["status"]!["phase"]);
        Assert.Equal("RUNNING", await PhaseAsync(sim, "refunds-copy"));
    }

    [Fact]
    public async Task Create_WithTakenNameOrUnknownEnvironmentOrPool_IsRefused()
    {
        await using var sim = await StartAsync();
        await sim.CallAsync(HttpMethod.Post, Statements, Statement("once", "SELECT 1"), Route, HttpStatusCode.OK);

        var taken = await sim.ErrorAsync(HttpMethod.Post, Statements, Statement("once", "SELECT 1"), HttpStatusCode.Conflict, Route);
        var env = await sim.ErrorAsync(HttpMethod.Post, $"{Api}/environments/nope-env/statements", Statement("other", "SELECT 1"), HttpStatusCode.NotFound, Route);
        var pool = await sim.ErrorAsync(HttpMethod.Post, Statements, Statement("other", "SELECT 1", pool: "nope-pool"), HttpStatusCode.UnprocessableEntity, Route);

        Assert.Equal("Statement 'once' already exists in environment 'demo-env'.", taken);
        Assert.Equal("Environment 'nope-env' not found.", env);
        Assert.Contains("demo-pool", pool, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedJob_ShowsInPhaseDetailAndExceptions_AndDeleteRemovesIt()
    {
        await using var sim = await StartAsync();
        await sim.CallAsync(HttpMethod.Post, Statements, Statement("enrich", "INSERT INTO orders_enriched SELECT * FROM orders"), Route, HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);
        sim.Cluster.Cmf.FailStatement(Env, "enrich", "TopicAuthorizationException: Not authorized to access topics: [orders]");

        var exceptions = await sim.GetAsync($"{Statements}/enrich/exceptions", Route + "/{stmtName}/exceptions");

        Assert.Equal("FAILED", await PhaseAsync(sim, "enrich"));
        Assert.Contains("TopicAuthorizationException", (string?)exceptions["data"]![0]!["message"], StringComparison.Ordinal);
        await sim.CallAsync(HttpMethod.Delete, $"{Statements}/enrich", null, Route + "/{stmtName}", HttpStatusCode.NoContent);
        await sim.ErrorAsync(HttpMethod.Get, $"{Statements}/enrich", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersByPhaseAndPages()
    {
        await using var sim = await StartAsync();
        foreach (var (name, sql) in new[] { ("stmt-one", "SELECT 1"), ("stmt-two", "INSERT INTO clicks SELECT * FROM clicks"), ("stmt-three", "SELEKT") })
        {
            await sim.CallAsync(HttpMethod.Post, Statements, Statement(name, sql), Route, HttpStatusCode.OK);
        }
        sim.Advance(sim.Options.JobStartDuration);

        var running = await sim.GetAsync($"{Statements}?phase=running", Route);
        var second = await sim.GetAsync($"{Statements}?page=1&size=2", Route);
        var beyond = await sim.GetAsync($"{Statements}?page=2&size=2", Route);

        Assert.Equal(["stmt-two"], running["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));
        Assert.Equal(["stmt-three"], second["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));
        Assert.Equal(3, (int)second["metadata"]!["size"]!);
        Assert.Empty(beyond["items"]!.AsArray());
        await sim.ErrorAsync(HttpMethod.Get, $"{Statements}?size=0", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_AfterADelete_KeepsCreationOrder()
    {
        await using var sim = await StartAsync();
        foreach (var name in new[] { "stmt-aaa", "stmt-bbb" }) await sim.CallAsync(HttpMethod.Post, Statements, Statement(name, "SELECT 1"), Route, HttpStatusCode.OK);
        await sim.CallAsync(HttpMethod.Delete, $"{Statements}/stmt-aaa", null, Route + "/{stmtName}", HttpStatusCode.NoContent);
        await sim.CallAsync(HttpMethod.Post, Statements, Statement("stmt-ccc", "SELECT 1"), Route, HttpStatusCode.OK);

        var page = await sim.GetAsync(Statements, Route);

        Assert.Equal(["stmt-bbb", "stmt-ccc"], page["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));
    }

    [Fact]
    public async Task CatalogsDatabasesAndComputePools_Demo_MatchSpec()
    {
        await using var sim = await StartAsync();

        var catalogs = await sim.GetAsync($"{Api}/catalogs/kafka", "/cmf/api/v1/catalogs/kafka");
        var catalog = await sim.GetAsync($"{Api}/catalogs/kafka/kafka-cat", "/cmf/api/v1/catalogs/kafka/{catName}");
        var databases = await sim.GetAsync($"{Api}/catalogs/kafka/kafka-cat/databases", "/cmf/api/v1/catalogs/kafka/{catName}/databases");
        var database = await sim.GetAsync($"{Api}/catalogs/kafka/kafka-cat/databases/kafka-1", "/cmf/api/v1/catalogs/kafka/{catName}/databases/{dbName}");
        var pools = await sim.GetAsync($"{Api}/environments/{Env}/compute-pools", "/cmf/api/v1/environments/{envName}/compute-pools");
        var pool = await sim.GetAsync($"{Api}/environments/{Env}/compute-pools/demo-pool", "/cmf/api/v1/environments/{envName}/compute-pools/{computePoolName}");

        Assert.Equal("kafka-cat", (string?)catalogs["items"]![0]!["metadata"]!["name"]);
        Assert.Equal("kafka-cat", (string?)catalog["metadata"]!["name"]);
        Assert.Equal("kafka-1", (string?)databases["items"]![0]!["metadata"]!["name"]);
        Assert.Equal("kafka-1", (string?)database["metadata"]!["name"]);
        Assert.Single(pools["items"]!.AsArray());
        Assert.Equal("DEDICATED", (string?)pool["spec"]!["type"]);
        Assert.Equal("RUNNING", (string?)pool["status"]!["phase"]);
        await sim.ErrorAsync(HttpMethod.Get, $"{Api}/catalogs/kafka/nope-cat", null, HttpStatusCode.NotFound);
        await sim.ErrorAsync(HttpMethod.Get, $"{Api}/environments/{Env}/compute-pools/nope-pool", null, HttpStatusCode.NotFound);
    }

    private static async Task<string?> PhaseAsync(SimHarness sim, string name) =>
        (string?)(await sim.GetAsync($"{Statements}/{name}", Route + "/{stmtName}"))["status"]!["phase"];

    private static string Statement(string name, string sql, string pool = "demo-pool") => new JsonObject
    {
        ["apiVersion"] = "cmf.confluent.io/v1",
        ["kind"] = "Statement",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["statement"] = sql,
            ["computePoolName"] = pool,
            ["properties"] = new JsonObject { ["sql.current-catalog"] = "kafka-cat", ["sql.current-database"] = "kafka-1" },
        },
    }.ToJsonString();
}
