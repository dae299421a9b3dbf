using System.Net;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.FlinkSim.Tests.Rest;

/// <summary>
/// FlinkSim's responses validated against Flink 1.20's OpenAPI spec. Where the spec is wrong about what Flink sends
/// (flink-rest-api.md §12 and Flink's DTO sources), the spec is patched, each patch saying why; nothing else is relaxed.
/// </summary>
public sealed class SpecConformanceTests
{
    private static readonly OpenApiSchemaValidator Spec = OpenApiSchemaValidator.Load(
        Path.Combine(RepoPaths.Specs, "flink", "rest_v1_dispatcher.flink-1.20.yml"),
        new SpecPatch(
            "/components/schemas/SlotSharingGroupId",
            """{"type":"string","pattern":"^[0-9a-f]{32}$"}""",
            "§12: slotSharingGroupId is written as a 32-hex string by a custom serializer, not as {bytes,lowerPart,upperPart}"),
        new SpecPatch(
            "/components/schemas/LatestCheckpoints/properties",
            """
            {
              "completed": {"$ref":"#/components/schemas/CompletedCheckpointStatistics","nullable":true},
              "savepoint": {"$ref":"#/components/schemas/CompletedCheckpointStatistics","nullable":true},
              "failed": {"$ref":"#/components/schemas/FailedCheckpointStatistics","nullable":true},
              "restored": {"$ref":"#/components/schemas/RestoredCheckpointStatistics","nullable":true}
            }
            """,
            "LatestCheckpoints' fields are @Nullable and Jackson writes null while there is none of a kind"),
        new SpecPatch(
            "/components/schemas/CheckpointStatistics/properties/savepointFormat",
            """{"type":"string","nullable":true}""",
            "savepointFormat is @Nullable: null for checkpoints, CANONICAL or NATIVE for savepoints"),
        new SpecPatch(
            "/paths/~1jobs~1{jobid}~1savepoints~1{triggerid}/get/responses/200/content/application~1json/schema",
            """
            {
              "type": "object", "required": ["status"],
              "properties": {
                "status": {"$ref": "#/components/schemas/QueueStatus"},
                "operation": {"$ref": "#/components/schemas/SavepointInfo", "nullable": true}
              }
            }
            """,
            "§12: the savepoint status operation is a SavepointInfo (location or failure-cause); the spec's oneOf of three "
            + "all-optional schemas matches every object three times; operation is null while IN_PROGRESS"),
        new SpecPatch(
            "/components/schemas/JobExceptionsInfoWithHistory/properties/root-exception",
            """{"type":"string","nullable":true}""",
            "deprecated since 1.13 and always null in 1.20 (JobExceptionsInfoWithHistory(history) passes null)"),
        new SpecPatch(
            "/components/schemas/JobExceptionsInfoWithHistory/properties/timestamp",
            """{"type":"integer","format":"int64","nullable":true}""",
            "deprecated since 1.13 and always null in 1.20 (JobExceptionsInfoWithHistory(history) passes null)"),
        new SpecPatch(
            "/components/schemas/JarEntryInfo/properties/description",
            """{"type":"string","nullable":true}""",
            "null unless the program describes itself, which programs rarely do"),
        new SpecPatch(
            "/components/schemas/MetricCollectionResponseBody",
            """{"type":"array","items":{"$ref":"#/components/schemas/Metric"}}""",
            "§9.1: Flink's MetricCollectionResponseBody serializer writes a top-level array, not {\"metrics\":[…]}"),
        new SpecPatch(
            "/components/schemas/AggregatedMetricsResponseBody",
            """
            {"type":"array","items":{"type":"object","required":["id"],"properties":{
              "id":{"type":"string"},"min":{"type":"number"},"max":{"type":"number"},"avg":{"type":"number"},
              "sum":{"type":"number"},"skew":{"type":"number"}}}}
            """,
            "§9.1: aggregated metrics are a top-level array of {id, min, max, avg, sum, skew} (the spec leaves the body an empty object)"),
        new SpecPatch(
            "/components/schemas/JobConfigInfo",
            """
            {"type":"object","required":["jid","name"],"properties":{
              "jid":{"$ref":"#/components/schemas/JobID"},"name":{"type":"string"},
              "execution-config":{"$ref":"#/components/schemas/ExecutionConfigInfo"}}}
            """,
            "JobConfigInfo has a custom serializer writing jid, name and execution-config; the generator saw the Java field names"));

    [Fact]
    public async Task ClusterAndListEndpoints_Responses_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();

        foreach (var (path, route) in new[]
        {
            ("config", "/config"), ("overview", "/overview"), ("jobmanager/config", "/jobmanager/config"),
            ("jobs", "/jobs"), ("jobs/overview", "/jobs/overview"), ("jars", "/jars"),
        })
        {
            await AssertGetMatchesAsync(sim, path, route);
        }
    }

    [Fact]
    public async Task JobEndpoints_RunningAndFinishedJob_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await AssertGetMatchesAsync(sim, $"jobs/{id}", "/jobs/{jobid}");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/status", "/jobs/{jobid}/status");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/exceptions", "/jobs/{jobid}/exceptions");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/checkpoints/config", "/jobs/{jobid}/checkpoints/config");

        await sim.StopWithSavepointAsync(sim.Orders);

        await AssertGetMatchesAsync(sim, $"jobs/{id}", "/jobs/{jobid}");
        await AssertGetMatchesAsync(sim, "jobs/overview", "/jobs/overview");
    }

    [Fact]
    public async Task Checkpoints_WithEveryKindOfRecord_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar");
        sim.Advance(sim.Options.JobStartDuration);
        var running = sim.Clock.GetUtcNow();
        await sim.PostAsync($"jobs/{job.JobId}/savepoints");
        sim.Cluster.Faults.FailCheckpoints(job.JobId, true);
        sim.Clock.AdvanceTo(running + sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);
        sim.Cluster.Faults.FailCheckpoints(job.JobId, false);
        sim.Clock.AdvanceTo(running + 2 * sim.Options.CheckpointInterval + sim.Options.CheckpointDuration / 2);

        var checkpoints = await AssertGetMatchesAsync(sim, $"jobs/{job.JobId}/checkpoints", "/jobs/{jobid}/checkpoints");

        var classNames = checkpoints["history"]!.AsArray().Select(c => (string)c!["className"]!).ToHashSet();
        Assert.Equal(["completed", "failed", "in_progress"], classNames.Order());
    }

    [Fact]
    public async Task Checkpoints_OfRestoredJob_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        sim.Advance(sim.Options.JobStartDuration + sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);

        var checkpoints = await AssertGetMatchesAsync(sim, $"jobs/{job.JobId}/checkpoints", "/jobs/{jobid}/checkpoints");

        Assert.NotNull(checkpoints["latest"]!["restored"]);
    }

    [Fact]
    public async Task Exceptions_OfFailingJob_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = await sim.RunJarAsync("orders-enricher-2.5.0-faulty.jar");
        sim.Advance(sim.Options.JobStartDuration + sim.Options.FaultyJobFailsAfter);

        var exceptions = await AssertGetMatchesAsync(sim, $"jobs/{job.JobId}/exceptions", "/jobs/{jobid}/exceptions");

        Assert.Single(exceptions["exceptionHistory"]!["entries"]!.AsArray());
    }

    [Fact]
    public async Task JobAndExceptions_InRestartLoopAndAfterFailedRestore_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        sim.Cluster.Faults.RestartLoop(id, true);
        sim.Cluster.Faults.FailAfterRestore("orders-enricher-2.4.0.jar");
        sim.Advance(sim.Options.FaultyJobFailsAfter);

        await AssertGetMatchesAsync(sim, $"jobs/{id}", "/jobs/{jobid}");
        var exceptions = await AssertGetMatchesAsync(sim, $"jobs/{id}/exceptions", "/jobs/{jobid}/exceptions");
        Assert.Single(exceptions["exceptionHistory"]!["entries"]!.AsArray());

        sim.Cluster.Faults.RestartLoop(id, false);
        sim.Advance(sim.Options.RestartDelay);
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        var restored = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        sim.Advance(sim.Options.JobStartDuration + (sim.Options.RestartAttempts + 1) * sim.Options.RestartDelay);

        await AssertGetMatchesAsync(sim, $"jobs/{restored.JobId}", "/jobs/{jobid}");
        var failed = await AssertGetMatchesAsync(sim, $"jobs/{restored.JobId}/exceptions", "/jobs/{jobid}/exceptions");
        Assert.Equal(sim.Options.RestartAttempts + 1, failed["exceptionHistory"]!["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task SavepointAndStop_TriggerAndEveryStatus_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        sim.Cluster.Faults.FailNextSavepoint(id);

        var failing = await AssertPostMatchesAsync(sim, $"jobs/{id}/savepoints", "{}", "/jobs/{jobid}/savepoints", HttpStatusCode.Accepted);
        await AssertGetMatchesAsync(sim, $"jobs/{id}/savepoints/{failing["request-id"]}", "/jobs/{jobid}/savepoints/{triggerid}");
        sim.Advance(sim.Options.SavepointDuration);
        var failed = await AssertGetMatchesAsync(sim, $"jobs/{id}/savepoints/{failing["request-id"]}", "/jobs/{jobid}/savepoints/{triggerid}");
        Assert.NotNull(failed["operation"]!["failure-cause"]);

        var stop = await AssertPostMatchesAsync(sim, $"jobs/{id}/stop", """{"drain":false}""", "/jobs/{jobid}/stop", HttpStatusCode.Accepted);
        sim.Advance(sim.Options.SavepointDuration);
        var stopped = await AssertGetMatchesAsync(sim, $"jobs/{id}/savepoints/{stop["request-id"]}", "/jobs/{jobid}/savepoints/{triggerid}");
        Assert.NotNull(stopped["operation"]!["location"]);
    }

    [Fact]
    public async Task JarRun_Response_MatchesSpec()
    {
        await using var sim = await SimHarness.StartAsync();

        await AssertPostMatchesAsync(
            sim, $"jars/{sim.Jar("orders-enricher-2.4.0.jar").Id}/run", """{"parallelism":2}""", "/jars/{jarid}/run", HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReportEndpoints_HotJob_MatchSpec()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Scheduler = "adaptive");
        var id = sim.Cluster.FindJob("clickstream-sessionizer")!.JobId;
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{id}"))["vertices"]![0]!["id"]!;

        await AssertGetMatchesAsync(sim, $"jobs/{id}/metrics", "/jobs/{jobid}/metrics");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/metrics?get=numRestarts", "/jobs/{jobid}/metrics");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/config", "/jobs/{jobid}/config");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/vertices/{vertex}/backpressure", "/jobs/{jobid}/vertices/{vertexid}/backpressure");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/vertices/{vertex}/subtasks/metrics", "/jobs/{jobid}/vertices/{vertexid}/subtasks/metrics");
        await AssertGetMatchesAsync(
            sim, $"jobs/{id}/vertices/{vertex}/subtasks/metrics?get=busyTimeMsPerSecond&agg=max,sum", "/jobs/{jobid}/vertices/{vertexid}/subtasks/metrics");
        await AssertGetMatchesAsync(sim, $"jobs/{id}/resource-requirements", "/jobs/{jobid}/resource-requirements");
        await AssertPostMatchesAsync(
            sim, $"jars/{sim.Jar("orders-enricher-3.0.0.jar").Id}/plan", """{"parallelism":2}""", "/jars/{jarid}/plan", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Backpressure_WhileRestarting_MatchesSpec()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{id}"))["vertices"]![0]!["id"]!;
        sim.Cluster.Faults.RestartLoop(id, true);
        sim.Advance(sim.Options.FaultyJobFailsAfter);

        var body = await AssertGetMatchesAsync(sim, $"jobs/{id}/vertices/{vertex}/backpressure", "/jobs/{jobid}/vertices/{vertexid}/backpressure");

        Assert.Equal("deprecated", (string)body["status"]!);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> AssertGetMatchesAsync(SimHarness sim, string path, string route)
    {
        var (status, body) = await sim.SendRawAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, status);
        Spec.AssertValid(route, "get", 200, body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!;
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> AssertPostMatchesAsync(
        SimHarness sim, string path, string json, string route, HttpStatusCode expected)
    {
        var (status, body) = await sim.SendRawAsync(HttpMethod.Post, path, json);
        Assert.Equal(expected, status);
        Spec.AssertValid(route, "post", (int)status, body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!;
    }
}
