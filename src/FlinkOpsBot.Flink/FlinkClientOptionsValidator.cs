using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink;

/// <summary>Validates <see cref="FlinkClientOptions"/> against its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class FlinkClientOptionsValidator : IValidateOptions<FlinkClientOptions>;
