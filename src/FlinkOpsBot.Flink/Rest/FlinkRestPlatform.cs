using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FlinkOpsBot.Core.Platforms;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

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
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/jobs/{Escape(jobId)}/stop")
        {
            Content = JsonContent.Create(new StopWithSavepointRequestDto(targetDirectory, Drain: false, triggerId), Json.StopWithSavepointRequestDto),
        };
        FlinkResilienceHandler.AllowRetries(request); // the trigger id makes a repeat a no-op
        using var response = await SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
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

    private static string Escape(string pathSegment) => Uri.EscapeDataString(pathSegment);

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
        catch (HttpRequestException e)
        {
            throw new FlinkApiException($"Flink cluster {clusterName} did not answer: {e.Message}", 0, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new FlinkApiException($"Flink cluster {clusterName} did not answer within {e.Timeout.TotalSeconds:0.###} s.", 0, e);
        }
        catch (BrokenCircuitException e)
        {
            var resume = e.RetryAfter is { } after ? $" for another {Math.Ceiling(after.TotalSeconds):0} s" : "";
            throw new FlinkApiException($"Calls to Flink cluster {clusterName} are paused{resume} after repeated failures.", 0, e);
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
