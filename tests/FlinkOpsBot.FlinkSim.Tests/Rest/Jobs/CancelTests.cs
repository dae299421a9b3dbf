using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Jobs;

public sealed class CancelTests
{
    [Fact]
    public async Task Cancel_RunningJob_Accepted202ThenCancellingThenCanceled()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;

        var (status, body) = await sim.SendRawAsync(HttpMethod.Patch, $"jobs/{job.JobId}?mode=cancel");

        Assert.Equal((HttpStatusCode.Accepted, "{}"), (status, body));
        Assert.Equal("CANCELLING", job.Status);
        sim.Advance(sim.Options.CancelDuration);
        Assert.Equal("CANCELED", job.Status);
        Assert.Equal(sim.Clock.GetUtcNow(), job.EndTime);
    }

    [Fact]
    public async Task Cancel_WithoutMode_CancelsByDefault()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, _) = await sim.SendAsync(HttpMethod.Patch, $"jobs/{sim.Orders.JobId}");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("CANCELLING", sim.Orders.Status);
    }

    [Fact]
    public async Task Cancel_AlreadyCanceled_Returns202()
    {
        await using var sim = await SimHarness.StartAsync();
        await sim.SendAsync(HttpMethod.Patch, $"jobs/{sim.Orders.JobId}?mode=cancel");
        sim.Advance(sim.Options.CancelDuration);

        var (status, _) = await sim.SendAsync(HttpMethod.Patch, $"jobs/{sim.Orders.JobId}?mode=cancel");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("CANCELED", sim.Orders.Status);
    }

    [Fact]
    public async Task Cancel_FinishedJob_Returns409()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        await sim.StopWithSavepointAsync(job);

        var (status, body) = await sim.SendAsync(HttpMethod.Patch, $"jobs/{job.JobId}?mode=cancel");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(
            "org.apache.flink.runtime.rest.handler.RestHandlerException: Job cancellation failed because the job has already reached another terminal state (FINISHED).",
            SimHarness.FirstErrorLine(body));
        Assert.Equal("FINISHED", job.Status);
    }

    [Fact]
    public async Task Cancel_UnknownJob_Returns404()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Patch, "jobs/0000000000000000000000000000abcd?mode=cancel");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("org.apache.flink.runtime.rest.handler.RestHandlerException: Job could not be found.", SimHarness.FirstErrorLine(body));
    }

    [Fact]
    public async Task Cancel_ModeStop_Returns308AndLeavesTheJobRunning()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Patch, $"jobs/{sim.Orders.JobId}?mode=stop");

        Assert.Equal(HttpStatusCode.PermanentRedirect, status);
        Assert.Contains("The termination mode \"stop\" has been removed.", SimHarness.FirstErrorLine(body));
        Assert.Equal("RUNNING", sim.Orders.Status);
    }
}
