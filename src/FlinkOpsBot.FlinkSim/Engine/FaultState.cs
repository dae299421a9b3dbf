namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>What an armed request-level fault does to one HTTP request.</summary>
/// <param name="Hang">Never answer: wait until the client gives up or the server stops, and do nothing.</param>
/// <param name="FailWith">Answer this status at once and do nothing; <c>null</c> to handle the request.</param>
/// <param name="Latency">Hold the response back this long (real time) after handling the request.</param>
internal readonly record struct RequestFault(bool Hang, int? FailWith, TimeSpan Latency)
{
    public static RequestFault None => default;
}

/// <summary>The faults a test has armed. Not thread-safe: used under the simulation's lock.</summary>
internal sealed class FaultState
{
    private readonly Dictionary<string, string> _nextStopFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nextSavepointFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _checkpointFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RestartLoopCause> _restartLoops = new(StringComparer.Ordinal);
    private int _failingRequests;
    private int _failingRequestStatus;
    private int _hangingRequests;
    private TimeSpan _latency;
    private int? _latencyRequests;
    private double _randomFailureRate;
    private int _randomFailureStatus;
    private Random? _random;

    public void FailNextStop(string jobId, string message) => _nextStopFailures[jobId] = message;

    public void FailNextSavepoint(string jobId, string message) => _nextSavepointFailures[jobId] = message;

    public void FailCheckpoints(string jobId, bool fail, string message)
    {
        if (fail) _checkpointFailures[jobId] = message;
        else _checkpointFailures.Remove(jobId);
    }

    public void FailNextRequests(int count, int status)
    {
        _failingRequests = count;
        _failingRequestStatus = status;
    }

    public void HangNextRequests(int count) => _hangingRequests = count;

    public void AddLatency(TimeSpan latency, int? count)
    {
        _latency = latency;
        _latencyRequests = count;
    }

    public void FailRandomly(double rate, int status, int? seed)
    {
        _randomFailureRate = rate;
        _randomFailureStatus = status;
        _random = rate > 0 ? (seed is { } value ? new Random(value) : new Random()) : null;
    }

    /// <summary>Turns the restart loop of <paramref name="jobId"/> on or off.</summary>
    public void RestartLoop(string jobId, bool on, RestartLoopCause cause = RestartLoopCause.ExternalSystem)
    {
        if (on) _restartLoops[jobId] = cause;
        else _restartLoops.Remove(jobId);
    }

    /// <summary>Whether <paramref name="jobId"/> is in a restart loop: it fails soon after each RUNNING and always restarts.</summary>
    public bool InRestartLoop(string jobId) => _restartLoops.ContainsKey(jobId);

    /// <summary>What fails <paramref name="jobId"/> in its restart loop, or null when it is in none.</summary>
    public RestartLoopCause? LoopCause(string jobId) => _restartLoops.TryGetValue(jobId, out var cause) ? cause : null;

    /// <summary>Disarms everything this class holds.</summary>
    public void Clear()
    {
        _nextStopFailures.Clear();
        _nextSavepointFailures.Clear();
        _checkpointFailures.Clear();
        _restartLoops.Clear();
        FailNextRequests(0, 0);
        HangNextRequests(0);
        AddLatency(TimeSpan.Zero, null);
        FailRandomly(0, 0, null);
    }

    /// <summary>The failure armed for the next savepoint (or stop) of <paramref name="jobId"/>, disarming it.</summary>
    public string? TakeSavepointFailure(string jobId, SavepointOperationKind kind)
    {
        var failures = kind is SavepointOperationKind.Stop ? _nextStopFailures : _nextSavepointFailures;
        return failures.Remove(jobId, out var message) ? message : null;
    }

    /// <summary>Why checkpoints of <paramref name="jobId"/> fail now, if they do.</summary>
    public string? CheckpointFailure(string jobId) => _checkpointFailures.GetValueOrDefault(jobId);

    /// <summary>The status the next HTTP request must fail with, if one is armed, counting it down.</summary>
    public int? TakeRequestFailure()
    {
        if (_failingRequests == 0) return null;
        _failingRequests--;
        return _failingRequestStatus;
    }

    /// <summary>
    /// What the armed request faults do to the next HTTP request, counting down the ones armed for N requests. Order:
    /// a hang wins over everything; then the next-N failures, then the random failures; latency applies to every
    /// request that is answered (failed or handled) while it is armed.
    /// </summary>
    public RequestFault TakeRequestFault()
    {
        if (_hangingRequests > 0)
        {
            _hangingRequests--;
            return new RequestFault(Hang: true, FailWith: null, TimeSpan.Zero);
        }

        var latency = TimeSpan.Zero;
        if (_latency > TimeSpan.Zero && _latencyRequests is null or > 0)
        {
            latency = _latency;
            if (_latencyRequests is { } left) _latencyRequests = left - 1;
        }

        var status = TakeRequestFailure();
        if (status is null && _random is { } random && random.NextDouble() < _randomFailureRate) status = _randomFailureStatus;
        return new RequestFault(Hang: false, status, latency);
    }
}
