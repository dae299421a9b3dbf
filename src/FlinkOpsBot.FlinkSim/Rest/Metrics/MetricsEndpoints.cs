using System.Globalization;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Rest.Metrics;

/// <summary>
/// GET /jobs/:jobid/metrics, /jobs/:jobid/config, /jobs/:jobid/vertices/:vertexid/backpressure,
/// /jobs/:jobid/vertices/:vertexid/subtasks/metrics, and GET/PUT /jobs/:jobid/resource-requirements. Task metrics come
/// from the <see cref="LoadModel"/>; they exist only while the job is RUNNING, as Flink's metric fetcher sees them.
/// </summary>
internal static class MetricsEndpoints
{
    private const string BusyTime = "busyTimeMsPerSecond";
    private const string BackPressuredTime = "backPressuredTimeMsPerSecond";
    private const string IdleTime = "idleTimeMsPerSecond";
    private static readonly string[] Aggregations = ["min", "max", "avg", "sum", "skew"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/jobs/{jobid}/metrics", GetJobMetrics);
        routes.MapGet("/jobs/{jobid}/config", GetJobConfig);
        routes.MapGet("/jobs/{jobid}/vertices/{vertexid}/backpressure", GetBackPressure);
        routes.MapGet("/jobs/{jobid}/vertices/{vertexid}/subtasks/metrics", GetSubtaskMetrics);
        routes.MapGet("/jobs/{jobid}/resource-requirements", GetResourceRequirements);
        routes.MapPut("/jobs/{jobid}/resource-requirements", PutResourceRequirementsAsync);
    }

    private static IResult GetJobMetrics(string jobid, HttpRequest request, SimCluster cluster) =>
        FlinkHttp.WithJob(jobid, cluster, (job, _) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["numRestarts"] = Number(job.RestartCount),
                ["fullRestarts"] = Number(job.RestartCount),
                ["numberOfCompletedCheckpoints"] = Number(job.Checkpoints.Completed),
                ["numberOfFailedCheckpoints"] = Number(job.Checkpoints.Failed),
            };
            return FlinkHttp.Json<IReadOnlyList<MetricValue>>(Select(values, request), FlinkJsonContext.Wire.IReadOnlyListMetricValue);
        });

    private static IResult GetJobConfig(string jobid, SimCluster cluster) =>
        FlinkHttp.WithJob(jobid, cluster, (job, _) =>
        {
            var options = cluster.Simulation.Options;
            var strategy = $"Restart with fixed delay ({FlinkHttp.Millis(options.RestartDelay)} ms). #{options.RestartAttempts} restart attempts.";
            var userConfig = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < job.Submission.ProgramArgs.Count; i += 2)
            {
                if (job.Submission.ProgramArgs[i].StartsWith("--", StringComparison.Ordinal))
                {
                    userConfig[job.Submission.ProgramArgs[i][2..]] = job.Submission.ProgramArgs[i + 1];
                }
            }
            return FlinkHttp.Json(
                new JobConfigInfo(job.JobId, job.Name, new ExecutionConfigInfo("PIPELINED", strategy, job.Parallelism, false, userConfig)),
                FlinkJsonContext.Wire.JobConfigInfo);
        });

    private static IResult GetBackPressure(string jobid, string vertexid, SimCluster cluster) =>
        WithVertex(jobid, vertexid, cluster, (job, index, now) =>
        {
            if (cluster.Simulation.Load.Of(job, now) is not { } load)
            {
                return FlinkHttp.Json(new BackPressureInfo("deprecated", null, null, null, null), FlinkJsonContext.Wire.BackPressureInfo);
            }
            var subtasks = load[index].Select(s =>
            {
                var ratio = s.BackPressuredMsPerSecond / 1000;
                var level = LoadModel.Level(ratio);
                return new SubtaskBackPressureInfo(s.Subtask, 0, level, level, ratio, s.IdleMsPerSecond / 1000, s.BusyMsPerSecond / 1000, []);
            }).ToList();
            var vertexLevel = LoadModel.Level(subtasks.Max(s => s.Ratio));
            return FlinkHttp.Json(
                new BackPressureInfo("ok", vertexLevel, vertexLevel, FlinkHttp.Millis(now), subtasks), FlinkJsonContext.Wire.BackPressureInfo);
        });

    private static IResult GetSubtaskMetrics(string jobid, string vertexid, HttpRequest request, SimCluster cluster)
    {
        var aggregations = request.Query["agg"].SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(a => a.Trim().ToLowerInvariant()).ToList();
        if (aggregations.FirstOrDefault(a => !Aggregations.Contains(a)) is { } bad)
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter("agg", bad));
        }
        if (aggregations.Count == 0) aggregations = [.. Aggregations];

        return WithVertex(jobid, vertexid, cluster, (job, index, now) =>
        {
            var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
            if (cluster.Simulation.Load.Of(job, now) is { } load)
            {
                var subtasks = load[index];
                series[BusyTime] = [.. subtasks.Select(s => s.BusyMsPerSecond)];
                series[BackPressuredTime] = [.. subtasks.Select(s => s.BackPressuredMsPerSecond)];
                series[IdleTime] = [.. subtasks.Select(s => s.IdleMsPerSecond)];
                if (index == 0) series[$"Source__{job.Name}-events.pendingRecords"] = [.. subtasks.Select(s => (double)s.PendingRecords)];
            }

            var requested = Requested(request);
            var metrics = series
                .Where(m => requested is null || requested.Contains(m.Key))
                .Select(m => requested is null
                    ? new AggregatedMetric(m.Key, null, null, null, null, null)
                    : Aggregate(m.Key, m.Value, aggregations))
                .ToList();
            return FlinkHttp.Json<IReadOnlyList<AggregatedMetric>>(metrics, FlinkJsonContext.Wire.IReadOnlyListAggregatedMetric);
        });
    }

    private static IResult GetResourceRequirements(string jobid, SimCluster cluster) =>
        FlinkHttp.WithJob(jobid, cluster, (job, _) =>
        {
            if (!cluster.Simulation.Options.AdaptiveScheduler) return Unsupported();
            var body = job.Graph.Vertices.ToDictionary(
                v => v.Id,
                v => job.Requirements?.GetValueOrDefault(v.Id) is { Upper: > 0 } set
                    ? new VertexResourceRequirements(new ParallelismBounds(set.Lower, set.Upper))
                    : new VertexResourceRequirements(new ParallelismBounds(1, v.Parallelism)),
                StringComparer.Ordinal);
            return FlinkHttp.Json(body, FlinkJsonContext.Wire.DictionaryStringVertexResourceRequirements);
        });

    private static async Task<IResult> PutResourceRequirementsAsync(string jobid, HttpContext context, SimCluster cluster, CancellationToken cancellationToken)
    {
        var (body, badBody) = await FlinkHttp.ReadBodyAsync(
            context.Request, FlinkJsonContext.Wire.DictionaryStringVertexResourceRequirements, [], cancellationToken);
        if (badBody is not null) return badBody;

        return FlinkHttp.WithJob(jobid, cluster, (job, _) =>
        {
            if (!cluster.Simulation.Options.AdaptiveScheduler) return Unsupported();
            var errors = new List<string>();
            var requirements = new Dictionary<string, (int Lower, int Upper)>(StringComparer.Ordinal);
            foreach (var (vertexId, requirement) in body!)
            {
                if (job.Graph.Vertices.FirstOrDefault(v => v.Id == vertexId) is not { } vertex)
                {
                    errors.Add($"Job vertex {vertexId} does not exist in the job.");
                    continue;
                }
                var lower = requirement.Parallelism?.LowerBound ?? -1;
                var upper = requirement.Parallelism?.UpperBound ?? -1;
                lower = lower == -1 ? 1 : lower;
                upper = upper == -1 ? vertex.MaxParallelism : upper;
                if (lower < 1) errors.Add($"The lower bound of vertex {vertexId} must be at least 1 (or -1 for the default), not {lower}.");
                if (upper < lower) errors.Add($"The upper bound of vertex {vertexId} ({upper}) must not be below its lower bound ({lower}).");
                if (upper > vertex.MaxParallelism) errors.Add($"The upper bound of vertex {vertexId} ({upper}) must not exceed its max parallelism ({vertex.MaxParallelism}).");
                requirements[vertexId] = (lower, upper);
            }
            errors.AddRange(job.Graph.Vertices.Where(v => !body.ContainsKey(v.Id)).Select(v => $"Job vertex {v.Id} is missing from the requirements."));
            if (errors.Count > 0) return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.InvalidResourceRequirements(errors));

            cluster.Simulation.ApplyResourceRequirements(job, requirements);
            return Results.Content("{}", "application/json", statusCode: StatusCodes.Status200OK);
        });
    }

    private static IResult Unsupported() =>
        FlinkHttp.Errors(StatusCodes.Status500InternalServerError, "Internal server error.", FlinkExceptions.ServerSide(FlinkExceptions.SchedulerUnsupported()));

    private static IResult WithVertex(string jobid, string vertexid, SimCluster cluster, Func<Job, int, DateTimeOffset, IResult> respond)
    {
        if (!FlinkHttp.TryParseId(vertexid, "vertexid", out var vertexId, out var badVertex)) return badVertex!;
        return FlinkHttp.WithJob(jobid, cluster, (job, now) =>
        {
            var index = job.Graph.Vertices.ToList().FindIndex(v => v.Id == vertexId);
            return index < 0
                ? FlinkHttp.Errors(StatusCodes.Status404NotFound, $"org.apache.flink.runtime.rest.NotFoundException: JobVertexID {vertexId} not found in job {job.JobId}.")
                : respond(job, index, now);
        });
    }

    /// <summary>The metric ids of <c>?get=</c>, or null to list the available ids.</summary>
    private static HashSet<string>? Requested(HttpRequest request)
    {
        var get = request.Query["get"].SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(v => v.Trim()).ToList();
        return get.Count == 0 ? null : get.ToHashSet(StringComparer.Ordinal);
    }

    // Unknown ids are silently left out, as Flink does; without ?get= only the ids are listed.
    private static List<MetricValue> Select(Dictionary<string, string> values, HttpRequest request) =>
        Requested(request) is { } requested
            ? [.. values.Where(v => requested.Contains(v.Key)).Select(v => new MetricValue(v.Key, v.Value))]
            : [.. values.Keys.Select(id => new MetricValue(id, null))];

    private static AggregatedMetric Aggregate(string id, double[] values, List<string> aggregations)
    {
        double? Pick(string name, Func<double> compute) => aggregations.Contains(name) ? compute() : null;
        var avg = values.Average();
        return new AggregatedMetric(
            id, Pick("min", values.Min), Pick("max", values.Max), Pick("avg", () => avg), Pick("sum", values.Sum),
            Pick("skew", () => avg == 0 ? 0 : (values.Max() - avg) / avg * 100));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
