using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FlinkOpsBot.Core.Platforms;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// <see cref="IFlinkPlatform"/> over the Apache Flink REST API v1 of one cluster. The HttpClient's base address is
/// the cluster's REST endpoint; every path carries the <c>/v1/</c> prefix. Failures become
/// <see cref="FlinkApiException"/>; "not found" answers become values as the port documents. A 409 on cancel
/// (the job already ended FINISHED or FAILED) is a <see cref="FlinkApiException"/> with status 409: the caller decides.
/// </summary>
internal sealed class FlinkRestPlatform(HttpClient http, string clusterName, TimeSpan jarRunTimeout, ILogger<FlinkRestPlatform> logger) : IFlinkPlatform
{
    private static readonly FlinkJsonContext Json = FlinkJsonContext.Default;

    public async Task<ClusterOverview> GetOverviewAsync(CancellationToken cancellationToken) =>
        FlinkMapping.ToOverview(await GetAsync("v1/overview", Json.ClusterOverviewDto, cancellationToken));

    public async Task<IReadOnlyList<JobSummary>> ListJobsAsync(CancellationToken cancellationToken) =>
        FlinkMapping.ToJobSummaries(await GetAsync("v1/jobs/overview", Json.JobsOverviewDto, cancellationToken));

    public async Task<JobDetails?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}", Json.JobDetailsDto, cancellationToken) is { } dto
            ? FlinkMapping.ToJobDetails(dto)
            : null;

    public async Task<CheckpointStats?> GetCheckpointStatsAsync(string jobId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}/checkpoints", Json.CheckpointingStatisticsDto, cancellationToken) is { } dto
            ? FlinkMapping.ToCheckpointStats(dto)
            : null;

    public async Task<CheckpointConfig?> GetCheckpointConfigAsync(string jobId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}/checkpoints/config", Json.CheckpointConfigDto, cancellationToken) is { } dto
            ? FlinkMapping.ToCheckpointConfig(dto)
            : null;

    public async Task<IReadOnlyList<JobException>> GetExceptionsAsync(string jobId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var dto = await GetAsync($"v1/jobs/{Escape(jobId)}/exceptions?maxExceptions={max}", Json.JobExceptionsDto, cancellationToken);
        return FlinkMapping.ToJobExceptions(dto, max);
    }

    public async Task<string?> GetDefaultSavepointDirectoryAsync(CancellationToken cancellationToken) =>
        FlinkMapping.ToDefaultSavepointDirectory(await GetAsync("v1/jobmanager/config", Json.IReadOnlyListConfigEntryDto, cancellationToken));

    public async Task<IReadOnlyList<JarInfo>> ListJarsAsync(CancellationToken cancellationToken) =>
        FlinkMapping.ToJars(await GetAsync("v1/jars", Json.JarListDto, cancellationToken));

    public async Task StopWithSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken)
    {
        await SendRetrySafeAsync( // the trigger id makes a repeat a no-op
            HttpMethod.Post, $"v1/jobs/{Escape(jobId)}/stop",
            JsonContent.Create(new StopWithSavepointRequestDto(targetDirectory, Drain: false, triggerId), Json.StopWithSavepointRequestDto), cancellationToken);
        FlinkLog.StopWithSavepointTriggered(logger, clusterName, jobId, triggerId);
    }

    public async Task<SavepointOperation> GetSavepointOperationAsync(string jobId, string triggerId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}/savepoints/{Escape(triggerId)}", Json.SavepointStatusDto, cancellationToken) is { } dto
            ? FlinkMapping.ToSavepointOperation(dto)
            : new SavepointOperation(SavepointOperationStatus.Unknown);

    public async Task CancelJobAsync(string jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"v1/jobs/{Escape(jobId)}?mode=cancel");
        FlinkResilienceHandler.AllowRetries(request); // cancel is idempotent since Flink 1.15
        using var response = await SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        FlinkLog.CancelRequested(logger, clusterName, jobId);
    }

    public async Task<string> RunJarAsync(string jarId, JarRunRequest request, CancellationToken cancellationToken)
    {
        // Never retried here: a lost answer is reconciled by the caller through the client-chosen JobID.
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v1/jars/{Escape(jarId)}/run")
        {
            Content = JsonContent.Create(FlinkMapping.ToDto(request), Json.JarRunRequestDto),
        };
        FlinkResilienceHandler.SetAttemptTimeout(message, jarRunTimeout); // Flink runs the jar's main method first
        using var response = await SendAsync(message, cancellationToken);
        var jobId = (await ReadAsync(response, Json.JarRunResponseDto, cancellationToken)).JobId;
        FlinkLog.JarSubmitted(logger, clusterName, jarId, jobId);
        return jobId;
    }

    public async Task TriggerSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken)
    {
        await SendRetrySafeAsync( // the trigger id makes a repeat a no-op
            HttpMethod.Post, $"v1/jobs/{Escape(jobId)}/savepoints",
            JsonContent.Create(new SavepointTriggerRequestDto(targetDirectory, CancelJob: false, triggerId), Json.SavepointTriggerRequestDto), cancellationToken);
        FlinkLog.SavepointTriggered(logger, clusterName, jobId, triggerId);
    }

    public async Task<IReadOnlyList<VertexLoad>> GetVertexLoadAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await GetJobAsync(jobId, cancellationToken) is not { } job) return [];
        var loads = new List<VertexLoad>(job.Vertices.Count);
        foreach (var vertex in job.Vertices)
        {
            var vertexPath = $"v1/jobs/{Escape(jobId)}/vertices/{Escape(vertex.Id)}";
            var backPressure = await GetOrNullAsync($"{vertexPath}/backpressure", Json.BackPressureDto, cancellationToken);

            // Operator metrics carry the operator's name (e.g. "Source__orders.pendingRecords"): list the ids first.
            var available = await GetAsync($"{vertexPath}/subtasks/metrics", Json.IReadOnlyListAggregatedMetricDto, cancellationToken);
            var wanted = available.Select(m => m.Id)
                .Where(id => id is FlinkMapping.BusyTime or FlinkMapping.BackPressuredTime || FlinkMapping.IsPendingRecords(id))
                .ToList();
            var metrics = wanted.Count == 0
                ? []
                : await GetAsync(
                    $"{vertexPath}/subtasks/metrics?get={Uri.EscapeDataString(string.Join(',', wanted))}&agg=max,sum",
                    Json.IReadOnlyListAggregatedMetricDto, cancellationToken);
            loads.Add(FlinkMapping.ToVertexLoad(vertex, backPressure, metrics));
        }
        return loads;
    }

    public async Task<long?> GetRestartCountAsync(string jobId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}/metrics?get={RestartsMetric}", Json.IReadOnlyListMetricDto, cancellationToken) is { } metrics
            ? FlinkMapping.MetricValue(metrics, RestartsMetric)
            : null;

    public async Task<JobConfiguration?> GetJobConfigurationAsync(string jobId, CancellationToken cancellationToken) =>
        await GetOrNullAsync($"v1/jobs/{Escape(jobId)}/config", Json.JobConfigDto, cancellationToken) is { } dto
            ? FlinkMapping.ToJobConfiguration(dto)
            : null;

    public async Task<IReadOnlyDictionary<string, string>> GetClusterConfigurationAsync(CancellationToken cancellationToken) =>
        FlinkMapping.ToConfiguration(await GetAsync("v1/jobmanager/config", Json.IReadOnlyListConfigEntryDto, cancellationToken));

    public async Task<IReadOnlyList<ResourceRequirement>?> GetResourceRequirementsAsync(string jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{Escape(jobId)}/resource-requirements");
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            // The default scheduler answers with an UnsupportedOperationException ("… only expected to work with the
            // AdaptiveScheduler"), which Flink's REST handler turns into a 500.
            if (await FlinkErrors.MentionsAsync(response, UnsupportedOperation, cancellationToken)) return null;
            throw await FlinkErrors.FromResponseAsync(response, cancellationToken);
        }
        return FlinkMapping.ToResourceRequirements(await ReadAsync(response, Json.DictionaryStringVertexRequirementDto, cancellationToken));
    }

    public async Task SetResourceRequirementsAsync(string jobId, IReadOnlyList<ResourceRequirement> requirements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        await SendRetrySafeAsync( // setting the same bounds again changes nothing
            HttpMethod.Put, $"v1/jobs/{Escape(jobId)}/resource-requirements",
            JsonContent.Create(FlinkMapping.ToDto(requirements), Json.DictionaryStringVertexRequirementDto), cancellationToken);
        FlinkLog.ResourceRequirementsSet(logger, clusterName, jobId, requirements.Count == 0 ? 0 : requirements.Max(r => r.Upper));
    }

    public async Task<JarPlan> GetJarPlanAsync(string jarId, int? parallelism, IReadOnlyList<string>? programArgs, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/jars/{Escape(jarId)}/plan")
        {
            Content = JsonContent.Create(new JarPlanRequestDto(parallelism, programArgs), Json.JarPlanRequestDto),
        };
        FlinkResilienceHandler.AllowRetries(request); // a plan changes nothing on the cluster
        FlinkResilienceHandler.SetAttemptTimeout(request, jarRunTimeout); // Flink runs the jar's main method to build it
        using var response = await SendAsync(request, cancellationToken);
        return FlinkMapping.ToJarPlan(await ReadAsync(response, Json.JarPlanResponseDto, cancellationToken));
    }

    private const string RestartsMetric = "numRestarts";
    private const string UnsupportedOperation = "UnsupportedOperationException";

    private static string Escape(string pathSegment) => Uri.EscapeDataString(pathSegment);

    /// <summary>Sends a request that is safe to repeat (an idempotency key or an idempotent body), retried by the pipeline; throws unless it succeeded.</summary>
    private async Task SendRetrySafeAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        FlinkResilienceHandler.AllowRetries(request);
        using var response = await SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, type, cancellationToken);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, type, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (TransportFailures.Describe(e, $"Flink cluster {clusterName}") is { } failure)
        {
            throw new FlinkApiException(failure, 0, e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode) throw await FlinkErrors.FromResponseAsync(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new JsonException("The body is null.");
        }
        catch (JsonException e)
        {
            throw new FlinkApiException(
                $"Flink answered {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} with a body this client cannot read: {e.Message}",
                (int)response.StatusCode,
                e);
        }
    }
}
