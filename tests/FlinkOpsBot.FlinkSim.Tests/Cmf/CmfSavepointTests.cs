using System.Net;
using static FlinkOpsBot.FlinkSim.Tests.Cmf.CmfHarness;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>CMF Savepoint resources over real HTTP, backed by savepoints of the application's job.</summary>
public sealed class CmfSavepointTests
{
    private const string Route = "/cmf/api/v1/environments/{envName}/applications/{appName}/savepoints";
    private const string Orders = $"{Apps}/orders-enricher/savepoints";

    [Fact]
    public async Task Create_CompletesWithThePathOfTheJobsSavepoint()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;

        await sim.CallAsync(HttpMethod.Post, Orders, """{"metadata":{"name":"pre-upgrade"},"spec":{"backoffLimit":0}}""", Route, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration);

        var savepoint = await sim.GetAsync($"{Orders}/pre-upgrade", Route + "/{savepointName}");
        Assert.Equal("COMPLETED", (string?)savepoint["status"]!["state"]);
        Assert.Equal(job.Savepoints[^1], (string?)savepoint["status"]!["path"]);
        Assert.Equal("s3://flink-demo/savepoints/demo-env/orders-enricher", (string?)savepoint["spec"]!["path"]);
        Assert.True(Guid.TryParse((string?)savepoint["metadata"]!["uid"], out _));
    }

    [Fact]
    public async Task Create_WithoutPath_GoesToTheEnvironmentsDefaultSavepointDirectory()
    {
        await using var sim = await StartAsync();
        await sim.CallAsync(HttpMethod.Post, $"{Api}/environments",
            """{"name":"demo-env","kubernetesNamespace":"flink-demo","flinkApplicationDefaults":{"spec":{"flinkConfiguration":{"execution.checkpointing.savepoint-dir":"s3://env-defaults/sp"}}}}""",
            "/cmf/api/v1/environments", HttpStatusCode.OK);

        var savepoint = await sim.CallAsync(HttpMethod.Post, Orders, """{"metadata":{"name":"to-env-dir"}}""", Route, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal("s3://env-defaults/sp", (string?)savepoint["spec"]!["path"]);
        Assert.StartsWith("s3://env-defaults/sp/savepoint-", sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.Savepoints[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnderInjectedFault_EndsFailedWithTheError()
    {
        await using var sim = await StartAsync();
        sim.Cluster.Cmf.FailNextSavepoint("Checkpoint was declined (tasks not ready)");

        await sim.CallAsync(HttpMethod.Post, Orders, """{"metadata":{"name":"doomed"}}""", Route, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration);

        var savepoint = await sim.GetAsync($"{Orders}/doomed", Route + "/{savepointName}");
        Assert.Equal("FAILED", (string?)savepoint["status"]!["state"]);
        Assert.Contains("Checkpoint was declined (tasks not ready)", (string?)savepoint["status"]!["error"], StringComparison.Ordinal);
        Assert.Null(savepoint["status"]!["path"]);
    }

    [Fact]
    public async Task Create_WithTakenName_Answers409AndTriggersNothing()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        await sim.CallAsync(HttpMethod.Post, Orders, """{"metadata":{"name":"once"}}""", Route, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration);

        var message = await sim.ErrorAsync(HttpMethod.Post, Orders, """{"metadata":{"name":"once"}}""", HttpStatusCode.Conflict);
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal("Savepoint 'once' already exists for FlinkApplication 'orders-enricher'.", message);
        Assert.Single(job.Savepoints);
    }

    [Fact]
    public async Task Create_OfSuspendedApplication_Answers422()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        var message = await sim.ErrorAsync(HttpMethod.Post, Orders, "{}", HttpStatusCode.UnprocessableEntity);

        Assert.Contains("SUSPENDED", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDetachAndDelete_MoveTheDemoSavepointBetweenApplicationAndDetachedList()
    {
        await using var sim = await StartAsync();

        var list = await sim.GetAsync(Orders, Route);
        Assert.Equal(["orders-enricher-nightly"], list["items"]!.AsArray().Select(s => (string)s!["metadata"]!["name"]!));
        Assert.Equal("COMPLETED", (string?)list["items"]![0]!["status"]!["state"]);

        await sim.CallAsync(HttpMethod.Post, $"{Orders}/orders-enricher-nightly/detach", null, Route + "/{savepointName}/detach", HttpStatusCode.OK);
        var detached = await sim.GetAsync($"{Api}/detached-savepoints?name=orders-", "/cmf/api/v1/detached-savepoints");
        var one = await sim.GetAsync($"{Api}/detached-savepoints/orders-enricher-nightly", "/cmf/api/v1/detached-savepoints/{detachedSavepointName}");
        var afterDetach = await sim.GetAsync(Orders, Route);

        Assert.Single(detached["items"]!.AsArray());
        Assert.Equal("COMPLETED", (string?)one["status"]!["state"]);
        Assert.Empty(afterDetach["items"]!.AsArray());
        await sim.CallAsync(HttpMethod.Delete, $"{Api}/detached-savepoints/orders-enricher-nightly", null, "/cmf/api/v1/detached-savepoints/{detachedSavepointName}", HttpStatusCode.NoContent);
        await sim.ErrorAsync(HttpMethod.Get, $"{Api}/detached-savepoints/orders-enricher-nightly", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StartFromDetachedSavepointUid_RestoresItsPath()
    {
        await using var sim = await StartAsync();
        var registered = await sim.CallAsync(HttpMethod.Post, $"{Api}/detached-savepoints",
            """{"metadata":{"name":"external-sp"},"spec":{"path":"s3://elsewhere/savepoints/savepoint-0a1b2c"}}""",
            "/cmf/api/v1/detached-savepoints", HttpStatusCode.Created);
        await sim.PostAsync($"{Apps}/payments-fraud-detector/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        await sim.CallAsync(HttpMethod.Post, $"{Apps}/payments-fraud-detector/start?startFromSavepointUid={registered["metadata"]!["uid"]}", null,
            "/cmf/api/v1/environments/{envName}/applications/{appName}/start", HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        var job = sim.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!;
        Assert.Equal("s3://elsewhere/savepoints/savepoint-0a1b2c", job.RestoredFrom);
        Assert.Equal("RUNNING", job.Status);
    }

    [Fact]
    public async Task Delete_OfApplicationSavepoint_Answers204AndItCannotBeStartedFromAnyMore()
    {
        await using var sim = await StartAsync();
        var uid = (string)(await sim.GetAsync($"{Orders}/orders-enricher-nightly", Route + "/{savepointName}"))["metadata"]!["uid"]!;

        await sim.CallAsync(HttpMethod.Delete, $"{Orders}/orders-enricher-nightly", null, Route + "/{savepointName}", HttpStatusCode.NoContent);
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        await sim.ErrorAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start?startFromSavepointUid={uid}", null, HttpStatusCode.NotFound);
    }
}
