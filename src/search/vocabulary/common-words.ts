/**
 * Words that are often capitalised in publication titles ("Jordan Labour Market Assessment",
 * "Chad Response Plan") but are not personal names. An ambiguous country name next to a
 * capitalised word that is neither one of these nor a vocabulary word is taken to be part of a
 * person's or a place's name ("Michael Jordan", "Jordan Peterson", "Georgia Tech") and not tagged.
 * Words of the vocabularies themselves (country names, theme synonyms) count as known too.
 */
export const COMMON_TITLE_WORDS: ReadonlySet<string> = new Set(
  `a about above across after against all along also among an and annex annual another any are as assessment
  assessments at baseline be before behind being between beyond both brief briefing briefs but by can case
  cases chapter compact compacts comparative conference consultation country countries data decent
  does during each edition english evaluation evaluations evidence executive existing experience experiences
  facts factsheet final findings first five for four from full future global good guidance guide guidelines
  handbook has have here how however if in including independent initial inside into introduction is issue
  issues it its joint key lessons learned level like main manual many map mapping may mid midterm mission
  more most national new next no northern not note notes of on one or other our out outlook over overview
  paper papers part phase plan plans policy practice practices preliminary profile profiles programme
  programmes program programs progress project projects proposal rapid recent recommendations regional
  report reports research response responses results review reviews rights road roadmap role scoping second
  selected series since situation snapshot so some southern special statement strategy strategies study
  studies summary support survey surveys synthesis term terms than that the their them there these this
  three through to toolkit towards trends two under understanding update updates upon us using version
  via volume vs was way we what when where which while who why will with within without work working
  year years government governments ministry ministries authority authorities office offices agency
  agencies department state states union council committee commission bank fund organization
  organisation institute centre center foundation network partnership partnerships initiative initiatives
  framework frameworks action actions agenda analysis approach approaches access assistance capacity
  challenges change community communities conditions context cooperation crisis development economic
  economy education effects employment impact impacts implementation improving information insights
  integration international labour labor law laws legal market markets measures migrant migrants migration
  mobility needs opportunities people persons population populations protection public recruitment reform
  reforms refugee refugees return rural safe security sector services social standards status system
  systems trade urban vulnerable wages women worker workers young youth children health housing
  humanitarian poverty private regular skills statistics temporary irregular domestic seasonal forced
  human trafficking remittances diaspora climate gender digital construction agriculture agricultural
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Words right after a language name that make it the language ("French-speaking", "Spanish version"). */
export const LANGUAGE_MARKERS: ReadonlySet<string> = new Set(
  `speaking speaker speakers language languages version versions translation translations translated
  edition editions subtitles subtitled text summary interpretation interpreter interpreters course
  courses classes lessons literature grammar dictionary teacher teachers`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Words after a demonym that are not the noun it qualifies ("in French and …", "Nepali is …"). */
export const NOT_A_NOUN: ReadonlySet<string> = new Set(
  'and or as is was are were to into from with by only nor but than'.split(' '),
);
