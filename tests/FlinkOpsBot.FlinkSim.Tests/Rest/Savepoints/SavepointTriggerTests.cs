using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Savepoints;

public sealed class SavepointTriggerTests
{
    private const string UnknownJobId = "00000000000000000000000000000042";

    [Fact]
    public async Task TriggerSavepoint_RunningJob_CompletesAndJobKeepsRunning()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;

        var (status, trigger) = await sim.PostAsync($"jobs/{job.JobId}/savepoints", """{"target-directory":"s3://backups/sp","formatType":"NATIVE"}""");
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var result = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        var location = (string)result["operation"]!["location"]!;
        Assert.StartsWith("s3://backups/sp/savepoint-", location);
        Assert.Equal("RUNNING", job.Status);
        var savepoint = (await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["latest"]!["savepoint"]!;
        Assert.Equal(("SAVEPOINT", "NATIVE", location), ((string)savepoint["checkpoint_type"]!, (string)savepoint["savepointFormat"]!, (string)savepoint["external_path"]!));
    }

    [Fact]
    public async Task TriggerSavepoint_CancelJob_EndsCanceledAfterTheSavepoint()
    {
        await using var sim = await SimHarness.StartAsync();

        await sim.PostAsync($"jobs/{sim.Orders.JobId}/savepoints", """{"cancel-job":true}""");
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("CANCELLING", sim.Orders.Status);
        sim.Advance(sim.Options.CancelDuration);

        Assert.Equal("CANCELED", sim.Orders.Status);
        Assert.Single(sim.Orders.Savepoints);
    }

    [Fact]
    public async Task TriggerSavepoint_UnknownJob_Accepted202AndStatusCarriesJobNotFound()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, trigger) = await sim.PostAsync($"jobs/{UnknownJobId}/savepoints");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var result = await sim.GetJsonAsync($"jobs/{UnknownJobId}/savepoints/{trigger!["request-id"]}");
        Assert.Equal("COMPLETED", (string)result["status"]!["id"]!);
        Assert.Contains(
            $"FlinkJobNotFoundException: Could not find Flink job ({UnknownJobId})",
            (string)result["operation"]!["failure-cause"]!["stack-trace"]!);
    }

    [Fact]
    public async Task TriggerSavepoint_JobStillStarting_CompletesWithNotAllTasksRunning()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar");

        var (status, trigger) = await sim.PostAsync($"jobs/{job.JobId}/savepoints");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var result = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Contains("Not all required tasks are currently running.", (string)result["operation"]!["failure-cause"]!["stack-trace"]!);
    }

    [Fact]
    public async Task TriggerSavepoint_FailureInjected_FailedSavepointInHistoryAndJobRunning()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        sim.Cluster.Faults.FailNextSavepoint(job.JobId);

        var (_, trigger) = await sim.PostAsync($"jobs/{job.JobId}/savepoints");
        sim.Advance(sim.Options.SavepointDuration);

        var result = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Contains("Checkpoint expired before completing.", (string)result["operation"]!["failure-cause"]!["stack-trace"]!);
        var failed = (await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["latest"]!["failed"]!;
        Assert.Equal(("failed", true, "Checkpoint expired before completing."), ((string)failed["className"]!, (bool)failed["is_savepoint"]!, (string)failed["failure_message"]!));
        Assert.Equal("RUNNING", job.Status);
    }

    [Fact]
    public async Task TriggerSavepoint_JobCancelledMeanwhile_FailsWithCoordinatorSuspending()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;

        var (_, trigger) = await sim.PostAsync($"jobs/{job.JobId}/savepoints");
        await sim.SendAsync(HttpMethod.Patch, $"jobs/{job.JobId}?mode=cancel");

        var result = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Contains("Checkpoint Coordinator is suspending.", (string)result["operation"]!["failure-cause"]!["stack-trace"]!);
    }

    [Fact]
    public async Task SavepointStatus_UnknownTrigger_Returns404WithFlinkMessage()
    {
        await using var sim = await SimHarness.StartAsync();
        const string TriggerId = "feedfacefeedfacefeedfacefeedface";

        var (status, body) = await sim.SendAsync(HttpMethod.Get, $"jobs/{sim.Orders.JobId}/savepoints/{TriggerId}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(
            $"org.apache.flink.runtime.rest.handler.RestHandlerException: There is no savepoint operation with triggerId={TriggerId} for job {sim.Orders.JobId}.",
            SimHarness.FirstErrorLine(body));
    }

    [Fact]
    public async Task SavepointStatus_AfterDropOperationResults_Returns404ButStopStillTakesEffect()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        var (_, trigger) = await sim.PostAsync($"jobs/{job.JobId}/stop");

        sim.Cluster.Faults.DropOperationResults(job.JobId);
        sim.Advance(sim.Options.SavepointDuration);

        var (status, _) = await sim.SendAsync(HttpMethod.Get, $"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("FINISHED", job.Status);
        Assert.Single(job.Savepoints);
    }

    [Fact]
    public async Task SavepointStatus_AfterStoreDuration_Returns404AndTheTriggerIdStartsAnew()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        const string Body = """{"triggerId":"00112233445566778899aabbccddeeff"}""";
        await sim.PostAsync($"jobs/{job.JobId}/savepoints", Body);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal(HttpStatusCode.OK, (await sim.SendAsync(HttpMethod.Get, $"jobs/{job.JobId}/savepoints/00112233445566778899aabbccddeeff")).Status);

        sim.Advance(sim.Options.AsyncOperationStoreDuration);

        Assert.Equal(HttpStatusCode.NotFound, (await sim.SendAsync(HttpMethod.Get, $"jobs/{job.JobId}/savepoints/00112233445566778899aabbccddeeff")).Status);
        await sim.PostAsync($"jobs/{job.JobId}/savepoints", Body);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal(2, job.Savepoints.Count);
    }
}
