using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Admin;

public sealed class AdminEndpointsTests
{
    private static Task<SimHarness> StartAsync() => SimHarness.StartAsync(options => options.AdminApi = true);

    [Theory]
    [InlineData("POST", "_sim/faults")]
    [InlineData("DELETE", "_sim/faults")]
    [InlineData("GET", "_sim/mutations")]
    [InlineData("GET", "_sim/calls")]
    public async Task AdminApi_DisabledByDefault_FlinksNotFound(string method, string path)
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(new HttpMethod(method), path, method == "POST" ? """{"kind":"hang","count":1}""" : null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"Not found: /{path}", (string)body!["errors"]![0]!);
        Assert.Equal(HttpStatusCode.OK, (await sim.SendAsync(HttpMethod.Get, "overview")).Status);
    }

    [Theory]
    [InlineData("""{"kind":"http-errors","count":2,"status":500}""")]
    [InlineData("""{"kind":"latency","millis":300}""")]
    [InlineData("""{"kind":"latency","millis":300,"count":5}""")]
    [InlineData("""{"kind":"hang","count":1}""")]
    [InlineData("""{"kind":"random-errors","rate":0.05,"status":503}""")]
    [InlineData("""{"kind":"random-errors","rate":0.5,"seed":42}""")]
    [InlineData("""{"kind":"drop-operation-results","job":"orders-enricher"}""")]
    [InlineData("""{"kind":"savepoint-failure","job":"orders-enricher"}""")]
    [InlineData("""{"kind":"savepoint-failure","job":"orders-enricher","operation":"savepoint","message":"Task declined."}""")]
    [InlineData("""{"kind":"fail-after-restore","jar":"orders-enricher-2.4.0.jar"}""")]
    [InlineData("""{"kind":"fail-after-restore","jar":"orders-enricher-2.4.0.jar","on":false}""")]
    [InlineData("""{"kind":"restart-loop","job":"payments-fraud-detector","on":true}""")]
    [InlineData("""{"kind":"checkpoint-failures","job":"clickstream-sessionizer","message":"Timeout."}""")]
    public async Task PostFaults_ValidBody_204(string json)
    {
        await using var sim = await StartAsync();

        var (status, body) = await sim.SendRawAsync(HttpMethod.Post, "_sim/faults", json);

        Assert.Equal((HttpStatusCode.NoContent, ""), (status, body));
    }

    [Theory]
    [InlineData("", "the body must be a JSON object such as {\"kind\":\"latency\",\"millis\":300}")]
    [InlineData("[1]", "the body must be a JSON object")]
    [InlineData("{kind", "the body is not JSON")]
    [InlineData("""{"millis":3}""", "field 'kind' is missing")]
    [InlineData("""{"kind":"earthquake"}""", "field 'kind' must be one of http-errors, latency, hang, random-errors, drop-operation-results, savepoint-failure, fail-after-restore, restart-loop, checkpoint-failures, input-rate")]
    [InlineData("""{"kind":7}""", "field 'kind' must be a non-empty string, not 7")]
    [InlineData("""{"kind":"latency","milis":300}""", "field 'milis' is not a parameter of kind 'latency' (its parameters: millis, count)")]
    [InlineData("""{"kind":"latency"}""", "field 'millis' is missing")]
    [InlineData("""{"kind":"latency","millis":-1}""", "field 'millis' must be an integer of at least 0, not -1")]
    [InlineData("""{"kind":"latency","millis":"300"}""", "field 'millis' must be an integer of at least 0, not \"300\"")]
    [InlineData("""{"kind":"latency","millis":300,"count":0}""", "field 'count' must be an integer of at least 1, not 0")]
    [InlineData("""{"kind":"http-errors","count":1,"status":302}""", "field 'status' must be an integer of at least 400, not 302")]
    [InlineData("""{"kind":"http-errors","count":1,"status":600}""", "field 'status' must be an HTTP error status from 400 to 599, not 600")]
    [InlineData("""{"kind":"random-errors","rate":1.5}""", "field 'rate' must be a probability from 0 to 1")]
    [InlineData("""{"kind":"random-errors","rate":0.1,"seed":1.5}""", "field 'seed' must be an integer, not 1.5")]
    [InlineData("""{"kind":"savepoint-failure","job":"orders"}""", "field 'job': no job is named or has the JobID \"orders\" (jobs: orders-enricher, payments-fraud-detector, clickstream-sessionizer)")]
    [InlineData("""{"kind":"savepoint-failure","job":"orders-enricher","operation":"drain"}""", "field 'operation' must be \"stop\" (default) or \"savepoint\", not \"drain\"")]
    [InlineData("""{"kind":"fail-after-restore","jar":"orders-9.jar"}""", "field 'jar': no jar has the id or file name \"orders-9.jar\"")]
    [InlineData("""{"kind":"restart-loop","job":"orders-enricher","on":"yes"}""", "field 'on' must be true (default: arm) or false (disarm), not \"yes\"")]
    public async Task PostFaults_InvalidBody_400WithOneLineNamingTheField(string json, string expected)
    {
        await using var sim = await StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Post, "_sim/faults", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = (string)Assert.Single(body!["errors"]!.AsArray())!;
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task PostFaults_SavepointFailureByJobName_NextStopFails()
    {
        await using var sim = await StartAsync();

        await sim.PostAsync("_sim/faults", """{"kind":"savepoint-failure","job":"orders-enricher","message":"Task declined."}""");
        var (_, trigger) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop");
        sim.Advance(sim.Options.SavepointDuration);

        var result = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Contains("Task declined.", (string)result["operation"]!["failure-cause"]!["stack-trace"]!, StringComparison.Ordinal);
        Assert.Equal("RUNNING", sim.Orders.Status);
    }

    [Fact]
    public async Task PostFaults_RestartLoopByJobId_JobRestarts()
    {
        await using var sim = await StartAsync();

        await sim.PostAsync("_sim/faults", $$"""{"kind":"restart-loop","job":"{{sim.Orders.JobId.ToUpperInvariant()}}"}""");
        sim.Advance(sim.Options.FaultyJobFailsAfter);

        Assert.Equal(("RESTARTING", 1), (sim.Orders.Status, sim.Orders.RestartCount));
    }

    [Fact]
    public async Task AdminApi_WhileEveryRequestFaultIsArmed_IsExemptAndNotLogged()
    {
        await using var sim = await StartAsync();
        using var impatient = new HttpClient { BaseAddress = sim.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        await sim.PostAsync("_sim/faults", """{"kind":"http-errors","count":100}""");
        await sim.PostAsync("_sim/faults", """{"kind":"random-errors","rate":1}""");
        await sim.PostAsync("_sim/faults", """{"kind":"latency","millis":600000}""");
        await sim.PostAsync("_sim/faults", """{"kind":"hang","count":100}""");

        Assert.Equal(HttpStatusCode.OK, (await impatient.GetAsync("_sim/mutations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await impatient.GetAsync("_sim/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await impatient.DeleteAsync("_sim/faults")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await impatient.GetAsync("overview")).StatusCode);
        Assert.Empty(sim.Cluster.Calls.All);
    }

    [Fact]
    public async Task DeleteFaults_AfterHttpErrors_ClearsThem()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync("_sim/faults", """{"kind":"http-errors","count":5}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sim.SendAsync(HttpMethod.Get, "jobs")).Status);

        var (status, _) = await sim.SendAsync(HttpMethod.Delete, "_sim/faults");

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(HttpStatusCode.OK, (await sim.SendAsync(HttpMethod.Get, "jobs")).Status);
    }

    [Fact]
    public async Task GetMutations_TwoStopsWithDifferentTriggerIds_ListsBothAndTheDuplicate()
    {
        await using var sim = await StartAsync();
        var id = sim.Orders.JobId;
        await sim.PostAsync($"jobs/{id}/stop", """{"triggerId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""");
        await sim.PostAsync($"jobs/{id}/stop", """{"triggerId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}""");
        sim.Advance(sim.Options.SavepointDuration);

        var ledger = await sim.GetJsonAsync("_sim/mutations");

        var mutations = ledger["mutations"]!.AsArray();
        Assert.Equal(2, mutations.Count);
        var first = mutations[0]!;
        Assert.Equal(("stop-with-savepoint", id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), ((string)first["kind"]!, (string)first["jobId"]!, (string)first["triggerId"]!));
        Assert.StartsWith("s3://flink-demo/savepoints/", (string)first["savepointPath"]!);
        Assert.Equal(sim.Clock.GetUtcNow() - sim.Options.SavepointDuration, (DateTimeOffset)first["time"]!);
        var duplicate = Assert.Single(ledger["duplicates"]!.AsArray())!;
        Assert.Equal("stop", (string)duplicate["rule"]!);
        Assert.Equal(2, duplicate["mutations"]!.AsArray().Count);
    }

    [Fact]
    public async Task GetCalls_AfterStopAndFailedRequest_ListsMutatingCallsWithStatus()
    {
        await using var sim = await StartAsync();
        var id = sim.Orders.JobId;
        sim.Cluster.Faults.FailNextRequests(1);
        await sim.PostAsync($"jobs/{id}/stop", """{"triggerId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""");
        await sim.PostAsync($"v1/jobs/{id}/stop", """{"triggerId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""");
        await sim.SendAsync(HttpMethod.Get, "jobs");

        var calls = (await sim.GetJsonAsync("_sim/calls"))["calls"]!.AsArray();

        // The failed call never reached the handler that reads the trigger id from the body.
        Assert.Equal(
            [(503, null), (202, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")],
            calls.Select(call => ((int)call!["statusCode"]!, (string?)call["idempotencyKey"])));
        Assert.All(calls, call => Assert.Equal(
            ("POST", $"/jobs/{id}/stop", id),
            ((string)call!["method"]!, (string)call["path"]!, (string)call["jobId"]!)));
    }
}
