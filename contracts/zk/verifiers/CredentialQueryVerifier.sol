// SPDX-License-Identifier: GPL-3.0
/*
    Copyright 2021 0KIMS association.

    This file is generated with [snarkJS](https://github.com/iden3/snarkjs).

    snarkJS is a free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by
    the Free Software Foundation, either version 3 of the License, or
    (at your option) any later version.

    snarkJS is distributed in the hope that it will be useful, but WITHOUT
    ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
    or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
    License for more details.

    You should have received a copy of the GNU General Public License
    along with snarkJS. If not, see <https://www.gnu.org/licenses/>.
*/

pragma solidity >=0.7.0 <0.9.0;

contract CredentialQueryVerifier {
    // Scalar field size
    uint256 constant r    = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Base field size
    uint256 constant q   = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // Verification Key data
    uint256 constant alphax  = 4242603850920200323442806253726721774793189213045583531131081892961567090747;
    uint256 constant alphay  = 16782484953067411969218236740881810896275264749597102885394475161761054545506;
    uint256 constant betax1  = 1340696556449973501345607458122870891762963248640677866799052552146198116302;
    uint256 constant betax2  = 967517091279579112450874122084826800469099244692141261940513261502819942911;
    uint256 constant betay1  = 21232491737507204932235357730490716299370145668759874112371379223989145116322;
    uint256 constant betay2  = 842482892861770121510595311162496123602517331679082006027474990499170762082;
    uint256 constant gammax1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 constant gammax2 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 constant gammay1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 constant gammay2 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 constant deltax1 = 13135229269275334412597307146427014192570269813387961074166112749296917078347;
    uint256 constant deltax2 = 9907149920266855767838013472761345365736032021717075809438934998994452803567;
    uint256 constant deltay1 = 14851163689666117708977404416580633741499640161815304725701584727066371309007;
    uint256 constant deltay2 = 20742466656833312520398243483096309239236719468281559112800250680363943779287;

    
    uint256 constant IC0x = 19010120785425589916049437011467094580881625266233653635703922526093691606233;
    uint256 constant IC0y = 19958052947177129630614742140951009738464630698575889100665285849040503593872;
    
    uint256 constant IC1x = 8566548549164920841718264303159602153624569984006100775102316286165916828419;
    uint256 constant IC1y = 7148295743761882483686068648156175080010779660735877862849113529161737704529;
    
    uint256 constant IC2x = 4523390715963888151029234641841153927945702614173795768792218437518494536950;
    uint256 constant IC2y = 13077053463402435918094482882716749607505518587466423959160332786118618815394;
    
    uint256 constant IC3x = 6787690228335588674699241592412853681689867772102653124539736012376265936182;
    uint256 constant IC3y = 8986328004008157082299961007940517578615494490496870164359485115764489059767;
    
    uint256 constant IC4x = 1075235101590867509843328612042337176198400536520850089048478801299928922944;
    uint256 constant IC4y = 7113370330780008677631887932031882494309286420728142178797295515369228742375;
    
    uint256 constant IC5x = 8957286734014783823872563851242556995489413688230122072585063438439859422902;
    uint256 constant IC5y = 300941288071067191923004334019438233997315389709126473757715875885965284902;
    
    uint256 constant IC6x = 10289965375817794182844854359545954258732034040320381285518484298888846247869;
    uint256 constant IC6y = 8634852612299759120826571554832094996977952699274645764713389939576944953724;
    
    uint256 constant IC7x = 9983811828520567175777377741311964124266126546453010143863721573760467485904;
    uint256 constant IC7y = 14951498804236566864909669197982503220633029691301464978662365212600240717723;
    
    uint256 constant IC8x = 5553288920484988671050041616595375885960544589882777343896582387503343305821;
    uint256 constant IC8y = 1251497022550490698659382859914124197260253452254117708384049845231154092055;
    
    uint256 constant IC9x = 14826668285199350832495060758888323186091281106671195956172680767934776360663;
    uint256 constant IC9y = 17603067328278792310750553113966811266210572874173598249617164013760845381450;
    
    uint256 constant IC10x = 7836070212149254965519674597019862645493641649584209614932157019945365335700;
    uint256 constant IC10y = 11682460725432179436197139507442629857577972237498861966126855738376481843037;
    
    uint256 constant IC11x = 5022078194876185869068127769342824393256631258051563763173710580151370446577;
    uint256 constant IC11y = 19766659396909457073647813673927573206436690778156486064241111019477359883847;
    
    uint256 constant IC12x = 1959908587476765392857048628261299611318684225603053413061941158144231853616;
    uint256 constant IC12y = 9315363459313378548237952121920160505780139028129130752211549244828035008223;
    
    uint256 constant IC13x = 13801878640425096800636646783456391321450663835515563259058846916040520045970;
    uint256 constant IC13y = 5734389507177178459840601680993968044543681982421040481460529042688690691855;
    
    uint256 constant IC14x = 2026472217709989203798293732990923568769815724077188037279909406765166751204;
    uint256 constant IC14y = 4274576180806196302057023716726721019525208713953516316778019228185865578590;
    
    uint256 constant IC15x = 11704082980129846662868580568387784017624593592009876715104003703042081058032;
    uint256 constant IC15y = 15797984704361367469692571671121922073436911889447570326430441479672600038280;
    
    uint256 constant IC16x = 16530560606265473081268497326316625380949830491532573588948102516442680053018;
    uint256 constant IC16y = 11756711089958441438533077600655516912360109909836869542494553109268239406356;
    
    uint256 constant IC17x = 15049914211219402654371236030589333171853584419327567264236765043160450249342;
    uint256 constant IC17y = 17848958169661127462768646667284200349257819279610355637488282015328380197520;
    
    uint256 constant IC18x = 936241064192920638930485661378576276667839407405735368027498627063610611271;
    uint256 constant IC18y = 20832058461616229124642275633334401323203179974775101702671388774474084082130;
    
    uint256 constant IC19x = 2603291591000462035856122358458183634458996582117624580456006019318382797006;
    uint256 constant IC19y = 3572859186975849803650671466665291784306607175320338154410886119740389511403;
    
    uint256 constant IC20x = 3761616197867205742087412660980855845509777197750782189708258426660293055730;
    uint256 constant IC20y = 790482921434767644230298105595468137108851972681327762004103829555585565832;
    
    uint256 constant IC21x = 19662291301586975809971371658812566194076349990776307809755076576216119146046;
    uint256 constant IC21y = 8550930040051781012268782436673031417050248807043651004546543354821701020584;
    
    uint256 constant IC22x = 8033496613428517397232718604880070082344080602513119755422971833924551670641;
    uint256 constant IC22y = 17016034794201423080549971628755669751641493380891488148812878750382435816404;
    
    uint256 constant IC23x = 1877815154976689671336470051472218834114428884969213594320214184132319490419;
    uint256 constant IC23y = 5445458730615869767818807024796045867644406042881081445657415557006184478370;
    
    uint256 constant IC24x = 12735807230188540118777155403341219699907439337893358635028132969530147741371;
    uint256 constant IC24y = 8787180957550288066902180283045619208822657784954263037966850730966679481583;
    
    uint256 constant IC25x = 10158307274345515439807327787146538174886658597620083778845684714566798696382;
    uint256 constant IC25y = 2630517537776144603057352374425695828084488648867526821014495283512140948335;
    
    uint256 constant IC26x = 21736307088397166706618842375369418773263410588553688325670860378317605935738;
    uint256 constant IC26y = 5024812651519845709033740905700151604957833791115171507269418135800914471271;
    
    uint256 constant IC27x = 6052998366333324695160903859758344485553568102513427053848884959414285036255;
    uint256 constant IC27y = 16293502614704140519543652806678926683768733241209403666477426172280646589054;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[27] calldata _pubSignals) public view returns (bool) {
        assembly {
            function checkField(v) {
                if iszero(lt(v, r)) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }
            
            // G1 function to multiply a G1 value(x,y) to value in an address
            function g1_mulAccC(pR, x, y, s) {
                let success
                let mIn := mload(0x40)
                mstore(mIn, x)
                mstore(add(mIn, 32), y)
                mstore(add(mIn, 64), s)

                success := staticcall(sub(gas(), 2000), 7, mIn, 96, mIn, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }

                mstore(add(mIn, 64), mload(pR))
                mstore(add(mIn, 96), mload(add(pR, 32)))

                success := staticcall(sub(gas(), 2000), 6, mIn, 128, pR, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }

            function checkPairing(pA, pB, pC, pubSignals, pMem) -> isOk {
                let _pPairing := add(pMem, pPairing)
                let _pVk := add(pMem, pVk)

                mstore(_pVk, IC0x)
                mstore(add(_pVk, 32), IC0y)

                // Compute the linear combination vk_x
                
                g1_mulAccC(_pVk, IC1x, IC1y, calldataload(add(pubSignals, 0)))
                
                g1_mulAccC(_pVk, IC2x, IC2y, calldataload(add(pubSignals, 32)))
                
                g1_mulAccC(_pVk, IC3x, IC3y, calldataload(add(pubSignals, 64)))
                
                g1_mulAccC(_pVk, IC4x, IC4y, calldataload(add(pubSignals, 96)))
                
                g1_mulAccC(_pVk, IC5x, IC5y, calldataload(add(pubSignals, 128)))
                
                g1_mulAccC(_pVk, IC6x, IC6y, calldataload(add(pubSignals, 160)))
                
                g1_mulAccC(_pVk, IC7x, IC7y, calldataload(add(pubSignals, 192)))
                
                g1_mulAccC(_pVk, IC8x, IC8y, calldataload(add(pubSignals, 224)))
                
                g1_mulAccC(_pVk, IC9x, IC9y, calldataload(add(pubSignals, 256)))
                
                g1_mulAccC(_pVk, IC10x, IC10y, calldataload(add(pubSignals, 288)))
                
                g1_mulAccC(_pVk, IC11x, IC11y, calldataload(add(pubSignals, 320)))
                
                g1_mulAccC(_pVk, IC12x, IC12y, calldataload(add(pubSignals, 352)))
                
                g1_mulAccC(_pVk, IC13x, IC13y, calldataload(add(pubSignals, 384)))
                
                g1_mulAccC(_pVk, IC14x, IC14y, calldataload(add(pubSignals, 416)))
                
                g1_mulAccC(_pVk, IC15x, IC15y, calldataload(add(pubSignals, 448)))
                
                g1_mulAccC(_pVk, IC16x, IC16y, calldataload(add(pubSignals, 480)))
                
                g1_mulAccC(_pVk, IC17x, IC17y, calldataload(add(pubSignals, 512)))
                
                g1_mulAccC(_pVk, IC18x, IC18y, calldataload(add(pubSignals, 544)))
                
                g1_mulAccC(_pVk, IC19x, IC19y, calldataload(add(pubSignals, 576)))
                
                g1_mulAccC(_pVk, IC20x, IC20y, calldataload(add(pubSignals, 608)))
                
                g1_mulAccC(_pVk, IC21x, IC21y, calldataload(add(pubSignals, 640)))
                
                g1_mulAccC(_pVk, IC22x, IC22y, calldataload(add(pubSignals, 672)))
                
                g1_mulAccC(_pVk, IC23x, IC23y, calldataload(add(pubSignals, 704)))
                
                g1_mulAccC(_pVk, IC24x, IC24y, calldataload(add(pubSignals, 736)))
                
                g1_mulAccC(_pVk, IC25x, IC25y, calldataload(add(pubSignals, 768)))
                
                g1_mulAccC(_pVk, IC26x, IC26y, calldataload(add(pubSignals, 800)))
                
                g1_mulAccC(_pVk, IC27x, IC27y, calldataload(add(pubSignals, 832)))
                

                // -A
                mstore(_pPairing, calldataload(pA))
                mstore(add(_pPairing, 32), mod(sub(q, calldataload(add(pA, 32))), q))

                // B
                mstore(add(_pPairing, 64), calldataload(pB))
                mstore(add(_pPairing, 96), calldataload(add(pB, 32)))
                mstore(add(_pPairing, 128), calldataload(add(pB, 64)))
                mstore(add(_pPairing, 160), calldataload(add(pB, 96)))

                // alpha1
                mstore(add(_pPairing, 192), alphax)
                mstore(add(_pPairing, 224), alphay)

                // beta2
                mstore(add(_pPairing, 256), betax1)
                mstore(add(_pPairing, 288), betax2)
                mstore(add(_pPairing, 320), betay1)
                mstore(add(_pPairing, 352), betay2)

                // vk_x
                mstore(add(_pPairing, 384), mload(add(pMem, pVk)))
                mstore(add(_pPairing, 416), mload(add(pMem, add(pVk, 32))))


                // gamma2
                mstore(add(_pPairing, 448), gammax1)
                mstore(add(_pPairing, 480), gammax2)
                mstore(add(_pPairing, 512), gammay1)
                mstore(add(_pPairing, 544), gammay2)

                // C
                mstore(add(_pPairing, 576), calldataload(pC))
                mstore(add(_pPairing, 608), calldataload(add(pC, 32)))

                // delta2
                mstore(add(_pPairing, 640), deltax1)
                mstore(add(_pPairing, 672), deltax2)
                mstore(add(_pPairing, 704), deltay1)
                mstore(add(_pPairing, 736), deltay2)


                let success := staticcall(sub(gas(), 2000), 8, _pPairing, 768, _pPairing, 0x20)

                isOk := and(success, mload(_pPairing))
            }

            let pMem := mload(0x40)
            mstore(0x40, add(pMem, pLastMem))

            // Validate that all evaluations ∈ F
            
            checkField(calldataload(add(_pubSignals, 0)))
            
            checkField(calldataload(add(_pubSignals, 32)))
            
            checkField(calldataload(add(_pubSignals, 64)))
            
            checkField(calldataload(add(_pubSignals, 96)))
            
            checkField(calldataload(add(_pubSignals, 128)))
            
            checkField(calldataload(add(_pubSignals, 160)))
            
            checkField(calldataload(add(_pubSignals, 192)))
            
            checkField(calldataload(add(_pubSignals, 224)))
            
            checkField(calldataload(add(_pubSignals, 256)))
            
            checkField(calldataload(add(_pubSignals, 288)))
            
            checkField(calldataload(add(_pubSignals, 320)))
            
            checkField(calldataload(add(_pubSignals, 352)))
            
            checkField(calldataload(add(_pubSignals, 384)))
            
            checkField(calldataload(add(_pubSignals, 416)))
            
            checkField(calldataload(add(_pubSignals, 448)))
            
            checkField(calldataload(add(_pubSignals, 480)))
            
            checkField(calldataload(add(_pubSignals, 512)))
            
            checkField(calldataload(add(_pubSignals, 544)))
            
            checkField(calldataload(add(_pubSignals, 576)))
            
            checkField(calldataload(add(_pubSignals, 608)))
            
            checkField(calldataload(add(_pubSignals, 640)))
            
            checkField(calldataload(add(_pubSignals, 672)))
            
            checkField(calldataload(add(_pubSignals, 704)))
            
            checkField(calldataload(add(_pubSignals, 736)))
            
            checkField(calldataload(add(_pubSignals, 768)))
            
            checkField(calldataload(add(_pubSignals, 800)))
            
            checkField(calldataload(add(_pubSignals, 832)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
