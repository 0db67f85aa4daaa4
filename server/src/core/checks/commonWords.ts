// Words the near-miss check must never take for a misspelt name: ordinary English (capitalised at the start of a
// sentence or in a headline), government vocabulary, months and days, demonyms, countries and cities, common given
// names, and well-known acronyms. "Iraq" is one letter from "Iran" and "FMS" one from "FMF": both are real names.
// Lower-case; compared against the lower-cased token. Kept as data in one place so it is easy to extend.

const ENGLISH = `
a about above across act action actually add added address addressed addresses after again against age agency
agenda ago agree agreed agreement ahead aid aim air all allied allies allow allowed almost alone along already
also alternate although always am among amount an analysis and annual another answer any anyone anything apart
appear appreciation approach april are area areas arms army around arrangements article as ask asked assistance
assistant assurance at attack attacks authority available away back bad balance ballistic base based basic be
became because become been before began begin behind being believe below best better between beyond big bilateral
bill billion board body book both bring broad brought budget build building built business but by call called
came can capabilities capability capital care case cases cause center central centre certain chair chaired
chance change changes chief choose citizens city civil civilian clear close closely co come coming command
commander commanders commitment commitments committee common community company concept concern concerns
conference confirmed conflict consensus consider consultation contact continue continued continues control
cooperation core correct could council counter countries country course court cover create created crisis
critical cruise current currently daily data date day days deal deals decade decades decision defense defence
delegation delegations deliver department deputy despite detail details deter develop development dialogue did
different direct director discuss discussed discussion discussions do does doing done down draft during duty each
early east eastern economic edge effort efforts either else emphasized end enduring energy engagement enhance
enough ensure enter entire era even event events ever every evidence exactly example exercise exercises expand
expect expected experience explore export exports face fact factor fall far federal few field final finally
financing first five focus focused follow following for force forces foreign form formal former forum forward
found four framework free friday from front full fund funding further future general get give given global go
goal going good government governments great ground group groups grow growing guide had half hand happen hard has
have having he head heads hear held help her here high higher highlighted him his historic history hold home hope
host house how however human idea identify if important in include included including increase increasing
indeed independent industry information initial inside instead integrated intelligence interest interests
internal international into involved is issue issues it its itself january join joint just keep key kind know
knowledge known lack land large largest last late later latest law lead leader leaders leadership leading least
leave led left legal less let level levels life light like likely limited line list little local long look lot
low made main maintain major make making man many matter may me meaning means measures media meet meeting
meetings member members memorandum might military million minister ministry missile missiles moment money more
most move much multilateral must mutual my name national nations naval near need needs never new news next no
non none nor normal north northern not note notes nothing now number of off offer office officer officers
offices official officials often on once one only open operation operational operations opportunity or order
other others our out outside over own page paper part parties partner partners partnership party past peace
people per perhaps period person place plan planning plans play point policies policy political position
possible post power powers practice present president press pressure prime principal priority private probably
problem process program programme progress project promote proposal protect provide provided public purpose put
quality question quite range rather reach read ready real really reason recent recently record reduce regional
region regular related relations relationship release remain remarks report reported reports represent
representative representatives republic request research resources response rest result return review right risk
role room round rule rules run said sales same saturday say says second secretary section security see seek seen
senior sense september serve service services session set several shall share shared she should show side sign
signed significant similar simply since single situation small so social some someone something sometimes soon
source south southern space speak special specific spokesperson staff stage standard start state statement
statements states status step still strategic strategy strength strong structure study subject such summary
support sure system systems table take taken talk talks task team term terms than that the their them then there
these they thing things think third this those though threat threats three through thursday thus time times to
today together told too took top toward towards trade training transfer treaty true tuesday turn two type under
understanding union unique unit united until up upon us use used using various very via view visit vital want
war was way we wednesday week well went were west western what when where whether which while who
whole whom whose why wide will with within without word words work working world would write year years yes yet
you young your
accords accord act acts administration administrations affairs agencies ambassador ambassadors armed assembly
bureau bureaus cabinet capitol chairman chancellor chiefs coalition commission commissioner congress congressional
constitution consul consulate councillor counselor counsellor delegate democrats deputies diplomat diplomats
directorate division doctrine embassy emirates envoy executive general generals governor headquarters
intelligence kingdom legislature lieutenant major majority marine marines mayor minister ministers ministries
minority navy officer parliament premier presidency presidential republicans secretariat senate senator
senators speaker spokesman spokeswoman staff summit territory territories treasury tribunal undersecretary
admiral admirals brigadier captain colonel commodore corporal sergeant
according accompanied achievements acknowledged advances advanced aerial aggressive alongside american americans
anniversary announced appreciate armaments assurances attacks bolster bond brokered burgeoning capable chemical
choppers combined commitments commonalities compensation concerned confirm conventional cooperate counterpart
credible de decisive declaration defend defended delivered determined deterrence diplomatic drones dynamics
ease emphasised enshrined escalation evolving expressed fight financing formation founding frequent guaranteed
hybrid ideas immediately impacts inception inflection ironclad largest lightning logistics maintain measures
mitigate mutually nuclear obligations opportunities package partnership pledge pledged procurement production
proliferation qualitative reaffirm reaffirmed reaffirming reassure recipient reflection reinforce remarks
responded revealed rooted simulations sovereignty steadfast strengthening superiority tensions territorial
terrorism transformative unbreakable underlined underscored underscoring unmanned unparalleled unprecedented
volatile warplanes weapon weapons welcomed witnessing
photo image courtesy credit source sources category categories reference references reply comment comments enter
please subscribe share secure official website websites lock lessons freedom future history present status
monday sunday saturday
`;

const MONTHS_AND_DAYS = `
january february march april may june july august september october november december jan feb mar apr jun jul
aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
`;

const DEMONYMS_AND_PLACES = `
israel israeli israelis america american americans iran iranian iranians iraq iraqi iraqis syria syrian syrians
lebanon lebanese jordan jordanian egypt egyptian egyptians saudi saudis arabia arab arabs arabian emirati emiratis
bahrain bahraini bahrainis sudan sudanese morocco moroccan qatar qatari kuwait kuwaiti oman omani yemen yemeni
turkey turkish turk cyprus cypriot greece greek russia russian russians ukraine ukrainian ukrainians china
chinese japan japanese korea korean india indian pakistan pakistani afghanistan afghan libya libyan tunisia
algeria europe european europeans britain british england english france french germany german italy italian
spain spanish canada canadian mexico mexican soviet soviets union palestine palestinian palestinians gaza hamas
hezbollah houthi houthis jewish jew jews muslim muslims christian persian persians kurdish kurds druze
israel's asia asian africa african pacific atlantic gulf mediterranean levant sinai golan negev galilee jerusalem
tel aviv haifa beirut damascus baghdad tehran cairo amman riyadh doha dubai abu dhabi manama khartoum ankara
moscow kyiv kiev beijing london paris berlin rome brussels geneva vienna new york virginia maryland
california texas florida arlington
`;

const GIVEN_NAMES = `
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter
christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce
gabriel joe logan albert willie alan eugene russell vincent philip bobby johnny bradley roy ralph louis randy
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley
kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy
kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra rachel carolyn
janet maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn
judith andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ann kathryn abigail sophia
frances jean alice judy isabella julia grace amber denise danielle marilyn beverly charlotte natalie theresa
diana brittany doris kayla alexis lori marie moshe yosef avi eli ehud ariel amir benny yair naftali yoav ron dan
dov uri ari ben noa tamar yael shira ruth miriam avraham yitzhak isaac shimon levi yaakov ahmed mohammed muhammad
ali hassan hussein omar khalid ibrahim mahmoud mustafa youssef
`;

const ACRONYMS = `
us usa uk un eu nato fbi cia nsa doj dhs nsc odni usaid fms imet iaf idp iaea icbm irgc
uav uavs uas sam sams gps gdp ceo cfo cto ngo ngos tv pm am bc ad usd eur nis ils ok faq pdf html http https
url www gov mil com org usn usaf usmc usg ussr gcc opec wmd ied rpg apc ndaa ftp ssl vip
phd mba ret hq fy
`;

function toSet(...blocks: string[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const block of blocks) for (const w of block.split(/\s+/)) if (w) set.add(w);
  return set;
}

/** Lower-case ordinary words and well-known names/acronyms never reported as near-misses. */
export const COMMON_WORDS: ReadonlySet<string> = toSet(ENGLISH, MONTHS_AND_DAYS, DEMONYMS_AND_PLACES, GIVEN_NAMES, ACRONYMS);

/** Ordinary English only: a one-word corpus alias that is one of these ("State") is too plain to suggest. */
export const ORDINARY_WORDS: ReadonlySet<string> = toSet(ENGLISH, MONTHS_AND_DAYS);

/** Acronyms so well known that the acronym-first-use check does not ask for them to be expanded. */
export const WELL_KNOWN_ACRONYMS: ReadonlySet<string> = new Set(['U.S.', 'U.S', 'US', 'USA', 'U.S.A.', 'U.S.A', 'UK', 'U.K.', 'U.K', 'UN', 'U.N.', 'EU', 'E.U.', 'NATO', 'COVID', 'COVID-19', 'D.C.']);
