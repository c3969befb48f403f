using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>Checks the ranges <see cref="GatewayHttpOptions"/> declares with <c>WholeNumberSetting</c> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class GatewayHttpOptionsSettingsValidator : IValidateOptions<GatewayHttpOptions>;
