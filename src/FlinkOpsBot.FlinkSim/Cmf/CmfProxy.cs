namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// CMF's proxy to an application's Flink REST API and web UI:
/// <c>/cmf/api/v1/environments/{env}/applications/{app}/flink-web-ui/{path}</c> answers what the application's own
/// Flink cluster answers for <c>/{path}</c> (e.g. <c>…/flink-web-ui/v1/jobs/{jobid}/checkpoints</c>). FlinkSim
/// rewrites the request in-process to its Flink REST handlers, scoped to the application's jobs
/// (<see cref="JobScope"/>): <c>/jobs/overview</c> there lists the application's jobs only.
/// </summary>
internal static class CmfProxy
{
    private const string Marker = "flink-web-ui";

    /// <summary>Middleware to run before routing.</summary>
    public static async Task RewriteAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(CmfEndpoints.Prefix + "/environments/", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        // environments/{env}/applications/{app}/flink-web-ui[/rest]
        var segments = path[(CmfEndpoints.Prefix.Length + 1)..].Split('/', 6);
        if (segments.Length < 5 || segments[2] != "applications" || segments[4] != Marker)
        {
            await next(context);
            return;
        }

        var (environment, application) = (Uri.UnescapeDataString(segments[1]), Uri.UnescapeDataString(segments[3]));
        var cluster = context.RequestServices.GetRequiredService<SimCluster>();
        var missing = CmfEndpoints.Run(cluster, state => state.FindApplication(environment, application, out _) is { } refusal
            ? CmfEndpoints.Refuse(refusal)
            : null!);
        if (missing is not null)
        {
            await missing.ExecuteAsync(context);
            return;
        }

        context.Request.Path = "/" + (segments.Length > 5 ? segments[5] : "");
        var outer = JobScope.Current;
        JobScope.Current = JobScope.Of(environment, application);
        try
        {
            await next(context);
        }
        finally
        {
            JobScope.Current = outer;
        }
    }
}
