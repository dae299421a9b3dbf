using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;
using FlinkOpsBot.FlinkSim.Rest.Admin;
using FlinkOpsBot.FlinkSim.Rest.Checkpoints;
using FlinkOpsBot.FlinkSim.Rest.Cluster;
using FlinkOpsBot.FlinkSim.Rest.Jars;
using FlinkOpsBot.FlinkSim.Rest.Jobs;
using FlinkOpsBot.FlinkSim.Rest.Savepoints;

namespace FlinkOpsBot.FlinkSim.Rest;

/// <summary>
/// Flink's REST API v1 over a <see cref="SimCluster"/>: every route under both <c>/</c> and <c>/v1/</c>, Flink's 404
/// for unknown routes, armed request faults, the log of mutating calls, and (when enabled) the admin API under
/// <c>/_sim/</c>, which faults never touch.
/// </summary>
internal static class FlinkRestApi
{
    public static void MapFlinkRest(this WebApplication app, bool adminApi)
    {
        app.Use(Cmf.CmfProxy.RewriteAsync);
        app.UseRouting();
        app.Use(FailOrRecordAsync);
        foreach (var routes in new IEndpointRouteBuilder[] { app, app.MapGroup("/v1") })
        {
            ClusterEndpoints.Map(routes);
            JobEndpoints.Map(routes);
            CheckpointEndpoints.Map(routes);
            SavepointEndpoints.Map(routes);
            JarEndpoints.Map(routes);
        }
        Cmf.CmfEndpoints.Map(app);
        if (adminApi) AdminEndpoints.Map(app);
        app.MapFallback((HttpRequest request) =>
            FlinkHttp.Errors(StatusCodes.Status404NotFound, $"Not found: {request.Path}{request.QueryString}"));
    }

    private static async Task FailOrRecordAsync(HttpContext context, RequestDelegate next)
    {
        var simulation = context.RequestServices.GetRequiredService<SimCluster>().Simulation;
        if (simulation.Options.AdminApi && context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix))
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        var call = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? null : new SimCallFeature();
        if (call is not null) context.Features.Set(call);

        // Hangs and latency end when the client gives up or the server stops, so a test's server never waits on them.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        var fault = simulation.Sync(sim => sim.Faults.TakeRequestFault());
        if (fault.Hang)
        {
            await WaitAsync(Timeout.InfiniteTimeSpan, abandoned.Token);
            Record(context, simulation, call, method, statusCode: 0);
            context.Abort();
            return;
        }

        var original = context.Response.Body;
        using var held = fault.Latency > TimeSpan.Zero ? new MemoryStream() : null;
        if (held is not null) context.Response.Body = held;
        try
        {
            if (fault.FailWith is { } status)
            {
                var failure = context.Request.Path.StartsWithSegments("/cmf")
                    ? Cmf.CmfHttp.Error(status, status == StatusCodes.Status503ServiceUnavailable ? "Service Unavailable" : "Internal Server Error")
                    : status == StatusCodes.Status503ServiceUnavailable
                    ? FlinkHttp.Errors(status, FlinkExceptions.LeaderElection)
                    : FlinkHttp.Errors(status, "Internal server error.", FlinkExceptions.InternalServerError());
                await failure.ExecuteAsync(context);
            }
            else
            {
                await next(context);
            }
            Record(context, simulation, call, method, context.Response.StatusCode);

            if (held is null) return;
            if (await WaitAsync(fault.Latency, abandoned.Token))
            {
                context.Response.Body = original;
                held.Position = 0;
                await held.CopyToAsync(original, abandoned.Token);
            }
            else
            {
                context.Abort();
            }
        }
        finally
        {
            context.Response.Body = original;
        }
    }

    private static void Record(HttpContext context, Simulation simulation, SimCallFeature? call, string method, int statusCode)
    {
        if (call is null) return;
        var path = context.Request.Path.StartsWithSegments("/v1", out var unversioned) ? unversioned : context.Request.Path;
        var jobId = call.JobId ?? (context.GetRouteValue("jobid") as string)?.ToLowerInvariant();
        simulation.Sync(sim => sim.RecordCall(method, path.Value ?? "/", jobId, call.IdempotencyKey, statusCode));
    }

    // Waits on the real clock (see SimFaults.AddLatency); false when the client gave up or the server is stopping.
    private static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, TimeProvider.System, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>What a mutating handler tells the call log beyond the request itself.</summary>
internal sealed class SimCallFeature
{
    /// <summary>The job acted on, when the path does not name it (a jar run names the job it started).</summary>
    public string? JobId { get; set; }

    /// <summary>The trigger id or job id the client sent to make a retry safe.</summary>
    public string? IdempotencyKey { get; set; }
}
