using System.Net;
using static FlinkOpsBot.FlinkSim.Tests.Cmf.CmfHarness;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>The flink-web-ui proxy, pagination, request faults, and answering as CMF 2.2 or 2.3.</summary>
public sealed class CmfProtocolTests
{
    [Fact]
    public async Task FlinkWebUiProxy_ServesTheApplicationsOwnFlinkRestApi()
    {
        await using var sim = await StartAsync();
        var jobId = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.JobId;
        var proxy = $"{Apps}/orders-enricher/flink-web-ui";

        var checkpoints = await sim.GetJsonAsync($"{proxy}/v1/jobs/{jobId}/checkpoints");
        var overview = await sim.GetJsonAsync($"{proxy}/jobs/overview");
        var job = await sim.GetJsonAsync($"{proxy}/v1/jobs/{jobId}");

        Assert.True((long)checkpoints["counts"]!["completed"]! > 0);
        Assert.Equal([jobId], overview["jobs"]!.AsArray().Select(j => (string)j!["jid"]!));
        Assert.Equal("RUNNING", (string?)job["state"]);
        var missing = await sim.ErrorAsync(HttpMethod.Get, $"{Apps}/nope-app/flink-web-ui/v1/jobs/overview", null, HttpStatusCode.NotFound);
        Assert.Equal("FlinkApplication 'nope-app' not found in environment 'demo-env'.", missing);
    }

    [Fact]
    public async Task Applications_Paginate_WithTotalInMetadataSize()
    {
        await using var sim = await StartAsync();
        const string route = "/cmf/api/v1/environments/{envName}/applications";

        var first = await sim.GetAsync($"{Apps}?page=0&size=1", route);
        var second = await sim.GetAsync($"{Apps}?page=1&size=1", route);
        var third = await sim.GetAsync($"{Apps}?page=2&size=1", route);

        Assert.Equal("orders-enricher", (string?)first["items"]![0]!["metadata"]!["name"]);
        Assert.Equal("payments-fraud-detector", (string?)second["items"]![0]!["metadata"]!["name"]);
        Assert.Empty(third["items"]!.AsArray());
        Assert.Equal(2, (int)first["metadata"]!["size"]!);
        Assert.Equal(1, (int)second["pageable"]!["page"]!);
        Assert.Equal(1, (int)second["pageable"]!["size"]!);
        await sim.ErrorAsync(HttpMethod.Get, $"{Apps}?page=-1", null, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("name=orders*", "orders-enricher")]
    [InlineData("name=*detector", "payments-fraud-detector")]
    [InlineData("state=RUNNING,name!=orders-enricher", "payments-fraud-detector")]
    [InlineData("state in (FAILED, RUNNING),name=orders*", "orders-enricher")]
    [InlineData("state notin (RUNNING)", "")]
    public async Task Applications_Filter_ByNameAndJobState(string filter, string expected)
    {
        await using var sim = await StartAsync();

        var page = await sim.GetAsync($"{Apps}?filter={Uri.EscapeDataString(filter)}", "/cmf/api/v1/environments/{envName}/applications");

        Assert.Equal(expected, string.Join(",", page["items"]!.AsArray().Select(a => (string)a!["metadata"]!["name"]!)));
        Assert.Equal(expected.Length == 0 ? 0 : expected.Split(',').Length, (int)page["metadata"]!["size"]!);
    }

    [Fact]
    public async Task Applications_UnsupportedFilter_Answers400NamingIt()
    {
        await using var sim = await StartAsync();

        var message = await sim.ErrorAsync(HttpMethod.Get, $"{Apps}?filter={Uri.EscapeDataString("labels.team in (payments)")}", null, HttpStatusCode.BadRequest);

        Assert.StartsWith("Unsupported filter expression 'labels.team in (payments)'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestFault_AnswersCmfErrorBody()
    {
        await using var sim = await StartAsync();
        sim.Cluster.Faults.FailNextRequests(1, 503);

        var message = await sim.ErrorAsync(HttpMethod.Get, Apps, null, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("Service Unavailable", message);
        await sim.GetAsync(Apps, "/cmf/api/v1/environments/{envName}/applications");
    }

    [Fact]
    public async Task AsCmf23_PostEnvironmentIs200AndDeletesAre204()
    {
        await using var sim = await StartAsync();

        var env = await sim.CallAsync(HttpMethod.Post, $"{Api}/environments", """{"name":"prod-env","kubernetesNamespace":"flink-prod"}""",
            "/cmf/api/v1/environments", HttpStatusCode.OK);
        await sim.CallAsync(HttpMethod.Delete, $"{Apps}/payments-fraud-detector", null, "/cmf/api/v1/environments/{envName}/applications/{appName}", HttpStatusCode.NoContent);
        await sim.CallAsync(HttpMethod.Delete, $"{Api}/environments/prod-env", null, "/cmf/api/v1/environments/{envName}", HttpStatusCode.NoContent);

        Assert.Equal("flink-prod", (string?)env["kubernetesNamespace"]);
    }

    [Fact]
    public async Task AsCmf22_PostEnvironmentIs201AndDeletesAre200()
    {
        await using var sim = await StartAsync(options => options.CmfVersion = "2.2.0");

        var info = await sim.GetAsync($"{Api}/system-information", "/cmf/api/v1/system-information");
        var (created, _) = await sim.SendRawAsync(HttpMethod.Post, $"{Api}/environments", """{"name":"prod-env","kubernetesNamespace":"flink-prod"}""");
        var (deletedApp, _) = await sim.SendRawAsync(HttpMethod.Delete, $"{Apps}/payments-fraud-detector");
        var (deletedEnv, _) = await sim.SendRawAsync(HttpMethod.Delete, $"{Api}/environments/prod-env");

        Assert.Equal("2.2.0", (string?)info["status"]!["version"]);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, deletedApp);
        Assert.Equal(HttpStatusCode.OK, deletedEnv);
    }

    [Fact]
    public async Task AsCmf21_SystemInformationIsUnknown()
    {
        await using var sim = await StartAsync(options => options.CmfVersion = "2.1.0");

        await sim.ErrorAsync(HttpMethod.Get, $"{Api}/system-information", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostEnvironment_WithoutNamespace_Answers400()
    {
        await using var sim = await StartAsync();

        var message = await sim.ErrorAsync(HttpMethod.Post, $"{Api}/environments", """{"name":"prod-env"}""", HttpStatusCode.BadRequest, "/cmf/api/v1/environments");

        Assert.Contains("kubernetesNamespace", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCmfPath_Answers404WithCmfErrorBody()
    {
        await using var sim = await StartAsync();

        var message = await sim.ErrorAsync(HttpMethod.Get, $"{Api}/kubernetes-clusters-nope", null, HttpStatusCode.NotFound);

        Assert.Contains("/cmf/api/v1/kubernetes-clusters-nope", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutatingCmfCalls_AreInTheCallLogWithTheirJob()
    {
        await using var sim = await StartAsync();
        var jobId = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.JobId;

        await sim.PostAsync($"{Apps}/orders-enricher/suspend");

        var call = Assert.Single(sim.Cluster.Calls.All, c => c.Path.StartsWith("/cmf/", StringComparison.Ordinal));
        Assert.Equal($"/{Apps}/orders-enricher/suspend", call.Path);
        Assert.Equal(jobId, call.JobId);
    }

    [Theory]
    [InlineData(new[] { "--cmf-version", "2.2.0" }, "2.2.0")]
    [InlineData(new[] { "--cmf-version=2.3.1", "--admin" }, "2.3.1")]
    [InlineData(new string[0], "2.3.1")]
    public void CommandLine_CmfVersion_Parsed(string[] args, string version)
    {
        var parsed = SimCommandLine.Parse(args, out var error);

        Assert.Null(error);
        Assert.Equal(version, parsed!.CmfVersion);
    }

    [Fact]
    public void CommandLine_BadCmfVersion_OneLineError()
    {
        Assert.Null(SimCommandLine.Parse(["--cmf-version", "latest"], out var error));

        Assert.StartsWith("--cmf-version needs a CMF version, e.g. --cmf-version 2.2.0 (got 'latest')", error, StringComparison.Ordinal);
    }
}
