using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlinkOpsBot.FlinkSim.Rest.Admin;

/// <summary>
/// The admin API for a harness in another process, under <c>/_sim/</c> (never one of Flink's paths), served only with
/// <see cref="FlinkSimOptions.AdminApi"/>: <c>POST /_sim/faults</c> arms a fault, <c>DELETE /_sim/faults</c> clears
/// them all (an <c>input-rate</c> stays: it is load, not a fault), <c>GET /_sim/mutations</c> and <c>GET /_sim/calls</c> read the ledger and the call log. Injected faults
/// never apply to it. A bad body gets 400 with one line naming the field and what it must be.
/// </summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/_sim";

    private static readonly Dictionary<string, (string[] Fields, Action<FaultBody, SimCluster> Arm)> Kinds = new(StringComparer.Ordinal)
    {
        ["http-errors"] = (["count", "status"], (body, cluster) =>
            cluster.Faults.FailNextRequests(body.Int("count", min: 0)!.Value, body.Status())),
        ["latency"] = (["millis", "count"], (body, cluster) =>
            cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(body.Int("millis", min: 0)!.Value), body.Int("count", min: 1, required: false))),
        ["hang"] = (["count"], (body, cluster) => cluster.Faults.HangNextRequests(body.Int("count", min: 0)!.Value)),
        ["random-errors"] = (["rate", "status", "seed"], (body, cluster) =>
            cluster.Faults.FailRandomly(body.Rate(), body.Status(), body.Int("seed", min: int.MinValue, required: false))),
        ["drop-operation-results"] = (["job"], (body, cluster) => cluster.Faults.DropOperationResults(body.Job(cluster))),
        ["savepoint-failure"] = (["job", "operation", "message"], (body, cluster) =>
        {
            var job = body.Job(cluster);
            var message = body.String("message", required: false);
            switch (body.String("operation", required: false) ?? "stop")
            {
                case "stop":
                    if (message is null) cluster.Faults.FailNextStopWithSavepoint(job);
                    else cluster.Faults.FailNextStopWithSavepoint(job, message);
                    break;
                case "savepoint":
                    if (message is null) cluster.Faults.FailNextSavepoint(job);
                    else cluster.Faults.FailNextSavepoint(job, message);
                    break;
                case var other:
                    throw new BadFault($"field 'operation' must be \"stop\" (default) or \"savepoint\", not \"{other}\"");
            }
        }),
        ["fail-after-restore"] = (["jar", "on"], (body, cluster) => cluster.Faults.FailAfterRestore(body.Jar(cluster), body.On())),
        ["restart-loop"] = (["job", "on", "cause"], (body, cluster) =>
            cluster.Faults.RestartLoop(body.Job(cluster), body.On(), (body.String("cause", required: false) ?? "external") switch
            {
                "external" => RestartLoopCause.ExternalSystem,
                "poison-record" => RestartLoopCause.PoisonRecord,
                var other => throw new BadFault($"field 'cause' must be \"external\" (default: the sink cannot reach Kafka) or \"poison-record\", not \"{other}\""),
            })),
        ["checkpoint-failures"] = (["job", "on", "message"], (body, cluster) =>
        {
            var job = body.Job(cluster);
            var message = body.String("message", required: false);
            if (message is null) cluster.Faults.FailCheckpoints(job, body.On());
            else cluster.Faults.FailCheckpoints(job, body.On(), message);
        }),
        ["input-rate"] = (["job", "records-per-second"], (body, cluster) =>
            cluster.Faults.SetInputRate(body.Job(cluster), body.Int("records-per-second", min: 0)!.Value)),
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(Prefix);
        admin.MapPost("/faults", ArmAsync);
        admin.MapDelete("/faults", (SimCluster cluster) =>
        {
            cluster.Faults.ClearAll();
            return Results.NoContent();
        });
        admin.MapGet("/mutations", GetMutations);
        admin.MapGet("/calls", GetCalls);
    }

    private static async Task<IResult> ArmAsync(HttpRequest request, SimCluster cluster, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            var body = FaultBody.Parse(text);
            var kind = body.String("kind")!;
            if (!Kinds.TryGetValue(kind, out var fault))
            {
                throw new BadFault($"field 'kind' must be one of {string.Join(", ", Kinds.Keys)}; \"{kind}\" is none of them");
            }
            body.OnlyFields(kind, fault.Fields);
            fault.Arm(body, cluster);
            return Results.NoContent();
        }
        catch (BadFault bad)
        {
            return FlinkHttp.Errors(StatusCodes.Status400BadRequest, bad.Message);
        }
    }

    private static IResult GetMutations(SimCluster cluster)
    {
        var mutations = cluster.Mutations.All.Select(Wire).ToList();
        var duplicates = cluster.Mutations.Duplicates()
            .Select(duplicate => new AdminDuplicate(duplicate.Rule, duplicate.Message, duplicate.Mutations.Select(Wire).ToList()))
            .ToList();
        return Results.Json(new AdminMutations(mutations, duplicates), AdminJsonContext.Default.AdminMutations);
    }

    private static IResult GetCalls(SimCluster cluster) => Results.Json(
        new AdminCalls(cluster.Calls.All.Select(call => new AdminCall(
            call.Method, call.Path, call.JobId, call.IdempotencyKey, call.StatusCode, call.Time)).ToList()),
        AdminJsonContext.Default.AdminCalls);

    private static AdminMutation Wire(SimMutation mutation) => new(
        KindName(mutation.Kind), mutation.JobId, mutation.TriggerId, mutation.ResultJobId, mutation.SavepointPath, mutation.JarId, mutation.Time);

    /// <summary>The kebab-case name of a mutation kind, e.g. <c>stop-with-savepoint</c>.</summary>
    public static string KindName(SimMutationKind kind) => kind switch
    {
        SimMutationKind.StopWithSavepoint => "stop-with-savepoint",
        SimMutationKind.Savepoint => "savepoint",
        SimMutationKind.CancelWithSavepoint => "cancel-with-savepoint",
        SimMutationKind.JarRun => "jar-run",
        SimMutationKind.Cancel => "cancel",
        _ => kind.ToString(),
    };

    /// <summary>A fault body the admin API refuses; the message is the one line the client gets.</summary>
    private sealed class BadFault(string message) : Exception(message);

    /// <summary>The fields of a <c>POST /_sim/faults</c> body, each read with a one-line error naming it.</summary>
    private sealed class FaultBody(JsonObject json)
    {
        public static FaultBody Parse(string text)
        {
            const string Example = "{\"kind\":\"latency\",\"millis\":300}";
            JsonNode? node;
            try
            {
                node = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException exception)
            {
                throw new BadFault($"the body is not JSON ({exception.Message.Split('\n')[0]}); send an object such as {Example}");
            }
            return node is JsonObject json ? new FaultBody(json) : throw new BadFault($"the body must be a JSON object such as {Example}");
        }

        public void OnlyFields(string kind, string[] allowed)
        {
            if (json.Select(field => field.Key).FirstOrDefault(key => key != "kind" && !allowed.Contains(key)) is { } unknown)
            {
                throw new BadFault($"field '{unknown}' is not a parameter of kind '{kind}' (its parameters: {string.Join(", ", allowed)})");
            }
        }

        public string? String(string name, bool required = true)
        {
            var node = Field(name, required);
            if (node is null) return null;
            return node.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(node.GetValue<string>())
                ? node.GetValue<string>()
                : throw new BadFault($"field '{name}' must be a non-empty string, not {Show(node)}");
        }

        public int? Int(string name, int min, bool required = true)
        {
            var node = Field(name, required);
            if (node is null) return null;
            if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out int value) && value >= min) return value;
            if (node.GetValueKind() == JsonValueKind.Number && double.TryParse(node.ToJsonString(), CultureInfo.InvariantCulture, out var number)
                && number == Math.Floor(number) && number >= min && number <= int.MaxValue)
            {
                return (int)number;
            }
            var range = min == int.MinValue ? "an integer" : $"an integer of at least {min}";
            throw new BadFault($"field '{name}' must be {range}, not {Show(node)}");
        }

        public int Status()
        {
            var status = Int("status", min: 400, required: false) ?? StatusCodes.Status503ServiceUnavailable;
            return status <= 599 ? status : throw new BadFault($"field 'status' must be an HTTP error status from 400 to 599, not {status}");
        }

        public double Rate()
        {
            var node = Field("rate", required: true)!;
            return node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is >= 0 and <= 1 and var rate
                ? rate
                : throw new BadFault($"field 'rate' must be a probability from 0 to 1 (0.05: one request in 20 fails), not {Show(node)}");
        }

        public bool On()
        {
            var node = Field("on", required: false);
            if (node is null) return true;
            return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? node.GetValue<bool>()
                : throw new BadFault($"field 'on' must be true (default: arm) or false (disarm), not {Show(node)}");
        }

        /// <summary>The <c>job</c> field, a job name or a 32-hex JobID, resolved to the JobID.</summary>
        public string Job(SimCluster cluster)
        {
            var name = String("job")!;
            return cluster.FindJob(name)?.JobId ?? throw new BadFault(
                $"field 'job': no job is named or has the JobID \"{name}\" (jobs: {string.Join(", ", cluster.Jobs.Select(job => job.Name).Distinct())})");
        }

        /// <summary>The <c>jar</c> field, a jar id or file name of an uploaded jar.</summary>
        public string Jar(SimCluster cluster)
        {
            var jar = String("jar")!;
            return cluster.Jars.Any(j => j.Id == jar || j.FileName == jar) ? jar : throw new BadFault(
                $"field 'jar': no jar has the id or file name \"{jar}\" (jars: {string.Join(", ", cluster.Jars.Select(j => j.FileName))})");
        }

        private JsonNode? Field(string name, bool required)
        {
            if (json.TryGetPropertyValue(name, out var node) && node is not null) return node;
            return required ? throw new BadFault($"field '{name}' is missing") : null;
        }

        private static string Show(JsonNode node)
        {
            var text = node.ToJsonString();
            return text.Length <= 40 ? text : text[..40] + "…";
        }
    }
}
