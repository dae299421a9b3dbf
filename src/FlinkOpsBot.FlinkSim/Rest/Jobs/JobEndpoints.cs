using System.Globalization;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Rest.Jobs;

/// <summary>GET /jobs, /jobs/overview, /jobs/:jobid, /jobs/:jobid/status, /jobs/:jobid/exceptions; PATCH /jobs/:jobid (cancel).</summary>
internal static class JobEndpoints
{
    // Flink's JobExceptionsHandler default for maxExceptions.
    private const int DefaultMaxExceptions = 20;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/jobs", GetJobs);
        routes.MapGet("/jobs/overview", GetOverview);
        routes.MapGet("/jobs/{jobid}", GetDetails);
        routes.MapGet("/jobs/{jobid}/status", GetStatus);
        routes.MapGet("/jobs/{jobid}/exceptions", GetExceptions);
        routes.MapPatch("/jobs/{jobid}", Cancel);
    }

    private static IResult GetJobs(SimCluster cluster) => cluster.Simulation.Sync(sim => FlinkHttp.Json(
        new JobIdsWithStatusOverview(sim.Jobs.Select(job => new JobIdWithStatus(job.JobId, job.Status)).ToList()),
        FlinkJsonContext.Wire.JobIdsWithStatusOverview));

    private static IResult GetOverview(SimCluster cluster) => cluster.Simulation.Sync(sim => FlinkHttp.Json(
        new MultipleJobsDetails(sim.Jobs.Select(job => JobMapping.Overview(job, sim.Now)).ToList()),
        FlinkJsonContext.Wire.MultipleJobsDetails));

    private static IResult GetDetails(string jobid, SimCluster cluster) =>
        FlinkHttp.WithJob(jobid, cluster, (job, now) => FlinkHttp.Json(JobMapping.Details(job, now), FlinkJsonContext.Wire.JobDetailsInfo));

    private static IResult GetStatus(string jobid, SimCluster cluster) =>
        FlinkHttp.WithJob(jobid, cluster, (job, _) => FlinkHttp.Json(new JobStatusInfo(job.Status), FlinkJsonContext.Wire.JobStatusInfo));

    private static IResult GetExceptions(string jobid, HttpRequest request, SimCluster cluster)
    {
        var maxExceptions = DefaultMaxExceptions;
        if (request.Query["maxExceptions"].FirstOrDefault() is { } max
            && !int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxExceptions))
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter("maxExceptions", max));
        }

        var labelFilter = request.Query["failureLabelFilter"].SelectMany(value => value!.Split(',')).ToList();
        if (labelFilter.FirstOrDefault(label => !label.Contains(':', StringComparison.Ordinal)) is { } malformed)
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter("failureLabelFilter", malformed));
        }

        return FlinkHttp.WithJob(jobid, cluster, (job, _) =>
            FlinkHttp.Json(JobMapping.Exceptions(job, maxExceptions, labelFilter.Count > 0), FlinkJsonContext.Wire.JobExceptionsInfoWithHistory));
    }

    private static IResult Cancel(string jobid, HttpRequest request, SimCluster cluster)
    {
        if (!FlinkHttp.TryParseId(jobid, "jobid", out var jobId, out var badId)) return badId!;
        var mode = request.Query["mode"].FirstOrDefault() ?? "cancel";
        if (mode.Equals("stop", StringComparison.OrdinalIgnoreCase))
        {
            return FlinkHttp.Error(StatusCodes.Status308PermanentRedirect, FlinkExceptions.StopModeRemoved());
        }
        if (!mode.Equals("cancel", StringComparison.OrdinalIgnoreCase))
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter("mode", mode));
        }

        return cluster.Simulation.Sync(sim => sim.Cancel(jobId)) is { } refusal
            ? FlinkHttp.Error(refusal)
            : Results.Content("{}", "application/json", statusCode: StatusCodes.Status202Accepted);
    }
}
